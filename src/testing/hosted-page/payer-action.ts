import { outcomeFor, type EmulatorCore } from '../core/emulator-core.js';
import { completeOrder, failOrder, startAttempt } from '../core/order-transitions.js';
import { KNOWN_FAILURES } from '../core/payment-failures.js';
import { PAYER_PAYMENT_MODES, type OrderRecord, type PayerPaymentMode } from '../core/records.js';

export const PAYER_ACTIONS = ['pay', 'fail', 'cancel'] as const;
export type PayerAction = (typeof PAYER_ACTIONS)[number];

/**
 * What a hosted-page button does to a PENDING order: Pay/Approve completes it (under outcome
 * `pending` it only starts a payment that never settles), Fail/Decline fails it as declined, Cancel
 * fails it as not completed by the customer. A settled order is left alone.
 */
export function applyPayerAction(
  core: EmulatorCore,
  order: OrderRecord,
  action: PayerAction,
  mode: string | null,
): void {
  if (order.state !== 'PENDING') return;
  const paymentMode: PayerPaymentMode =
    PAYER_PAYMENT_MODES.find((m) => m === mode) ?? order.setupPaymentMode ?? 'UPI_INTENT';
  if (action === 'pay') {
    if (outcomeFor(core, order.merchantId) === 'pending') startAttempt(core, order, paymentMode);
    else completeOrder(core, order, paymentMode);
  } else if (action === 'fail') {
    failOrder(core, order, KNOWN_FAILURES.declined, { withAttempt: true, paymentMode });
  } else {
    failOrder(core, order, KNOWN_FAILURES.cancelled, { withAttempt: false, paymentMode });
  }
}
