import { outcomeFor, type EmulatorCore } from './emulator-core.js';
import { completeOrder, failOrder } from './order-transitions.js';
import { KNOWN_FAILURES } from './payment-failures.js';
import type { OrderRecord, PaymentMode } from './records.js';

/**
 * Settles a just-created order (or a just-executed redemption) when the merchant's outcome says so:
 * `success` → COMPLETED, `failure` → FAILED, `manual`/`pending` → left PENDING for a person, a
 * control call or expiry.
 */
export function applyOutcome(core: EmulatorCore, order: OrderRecord): void {
  const outcome = outcomeFor(core, order.merchantId);
  const paymentMode = defaultPaymentMode(order);
  if (outcome === 'success') completeOrder(core, order, paymentMode);
  if (outcome === 'failure') failOrder(core, order, KNOWN_FAILURES.declined, { withAttempt: true, paymentMode });
}

/** The mode a control call or outcome uses when none is given. */
export function defaultPaymentMode(order: OrderRecord): PaymentMode {
  if (order.kind === 'REDEMPTION') return 'UPI_AUTO_PAY';
  return order.setupPaymentMode ?? 'UPI_INTENT';
}
