import type { MandateInput } from './mandate-input.js';
import type { OrderRecord } from './records.js';

function rupees(paise: number): string {
  return `${Math.trunc(paise / 100)}.${String(paise % 100).padStart(2, '0')}`;
}

/**
 * A `upi://mandate?…` link shaped like the NPCI mandate intent a UPI app opens (payee, amount,
 * max amount, recurrence). The emulator does not act on it; approval comes from the controls.
 */
export function upiMandateIntentUrl(order: OrderRecord, mandate: MandateInput): string {
  const params = new URLSearchParams({
    pa: 'phonepeemulator@ybl',
    pn: 'PhonePe Emulator',
    mc: '5817',
    tr: order.orderId,
    tn: `Mandate ${mandate.merchantSubscriptionId}`,
    am: rupees(order.amount),
    mam: rupees(mandate.maxAmount),
    cu: 'INR',
    recur: mandate.frequency,
    amrule: mandate.amountType === 'FIXED' ? 'EXACT' : 'MAX',
    validityend: String(mandate.expireAt ?? ''),
  });
  return `upi://mandate?${params.toString()}`;
}
