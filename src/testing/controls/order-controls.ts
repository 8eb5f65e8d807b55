import { defaultPaymentMode } from '../core/apply-outcome.js';
import type { EmulatorCore } from '../core/emulator-core.js';
import { findForControl } from '../core/order-lookup.js';
import { hostedPageUrl } from '../core/order-factory.js';
import { completeOrder, failAttempt, failOrder } from '../core/order-transitions.js';
import { orderView } from '../core/order-view.js';
import { failureFor } from '../core/payment-failures.js';
import { PhonePeEmulatorError } from '../core/phonepe-emulator-error.js';
import type { OrderRecord, PayerPaymentMode } from '../core/records.js';
import { expireUnexecutedRedemption, failNotification } from '../core/redemption-transitions.js';
import type { EmulatorOrderSnapshot, MerchantScope } from './emulator-controls.js';

export function findOrder(core: EmulatorCore, merchantOrderId: string, scope: MerchantScope = {}): OrderRecord {
  return findForControl(core.state.orders, merchantOrderId, 'order', scope.merchantId);
}

export function orderSnapshot(core: EmulatorCore, order: OrderRecord): EmulatorOrderSnapshot {
  const view = orderView(core, order, { details: true, errorContext: true, shape: 'documented' });
  return {
    ...view,
    kind: order.kind,
    ...(order.kind === 'REDEMPTION' ? {} : { hostedPageUrl: hostedPageUrl(core, order) }),
  } as EmulatorOrderSnapshot;
}

/** completeOrder: checkout/setup orders as if paid; redemptions only once executed (redeem first). */
export function completeOrderControl(core: EmulatorCore, order: OrderRecord, paymentMode?: PayerPaymentMode): void {
  if (order.kind === 'REDEMPTION' && order.state !== 'PENDING') {
    throw new PhonePeEmulatorError(
      409,
      'INVALID_ORDER_STATE',
      `Redemption ${order.merchantOrderId} is ${order.state}; call redeem (after validAfter) before completing it.`,
    );
  }
  completeOrder(core, order, order.kind === 'REDEMPTION' ? 'UPI_AUTO_PAY' : (paymentMode ?? defaultPaymentMode(order)));
}

/** failOrder: a pending notification, an unexecuted redemption, or any PENDING order. */
export function failOrderControl(
  core: EmulatorCore,
  order: OrderRecord,
  errorCode?: string,
  detailedErrorCode?: string,
): void {
  const failure = failureFor(errorCode, detailedErrorCode);
  if (order.state === 'NOTIFICATION_IN_PROGRESS') {
    failNotification(core, order, failure);
    return;
  }
  if (order.state === 'NOTIFIED') {
    expireUnexecutedRedemption(core, order, failure);
    return;
  }
  failOrder(core, order, failure, { withAttempt: true, paymentMode: defaultPaymentMode(order) });
}

export function failAttemptControl(
  core: EmulatorCore,
  order: OrderRecord,
  options: { errorCode?: string; detailedErrorCode?: string; paymentMode?: PayerPaymentMode },
): void {
  failAttempt(
    core,
    order,
    failureFor(options.errorCode, options.detailedErrorCode),
    options.paymentMode ?? defaultPaymentMode(order),
  );
}
