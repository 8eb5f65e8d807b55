import type { EmulatorCore } from './emulator-core.js';
import { scopedKey } from './emulator-state.js';
import { PhonePeEmulatorError } from './phonepe-emulator-error.js';
import type { OrderRecord, SubscriptionRecord } from './records.js';

/** What every new order needs; the rest is filled in here. */
export type NewOrder = Omit<OrderRecord, 'orderId' | 'state' | 'createdAt' | 'attempts' | 'pageToken'> & {
  state?: OrderRecord['state'];
};

/**
 * Refuses a reused merchantOrderId the way PhonePe's integration guide documents it: HTTP 417,
 * `INVALID_TRANSACTION_ID`, `success: false` (docs/phonepe-protocol.md#checkout-pay; docs/phonepe-protocol.md#unsettled-duplicate-ids).
 */
export function assertNewOrderId(core: EmulatorCore, merchantId: string, merchantOrderId: string): void {
  if (core.state.orders.has(scopedKey(merchantId, merchantOrderId))) {
    throw new PhonePeEmulatorError(417, 'INVALID_TRANSACTION_ID', 'Order ID has already been used', { success: false });
  }
}

/** Refuses a reused merchantSubscriptionId (`DUPLICATE_REQUEST_ID`, per PhonePe's integration guide; docs/phonepe-protocol.md#unsettled-duplicate-ids). */
export function assertNewSubscriptionId(core: EmulatorCore, merchantId: string, merchantSubscriptionId: string): void {
  if (core.state.subscriptions.has(scopedKey(merchantId, merchantSubscriptionId))) {
    throw new PhonePeEmulatorError(417, 'DUPLICATE_REQUEST_ID', 'Subscription ID has already been used', {
      success: false,
    });
  }
}

/** Stores a new order (PENDING unless told otherwise) with a fresh PhonePe order id and page token. */
export function insertOrder(core: EmulatorCore, input: NewOrder): OrderRecord {
  assertNewOrderId(core, input.merchantId, input.merchantOrderId);
  const order: OrderRecord = {
    ...input,
    orderId: core.ids.orderId(),
    state: input.state ?? 'PENDING',
    createdAt: core.clock.now(),
    attempts: [],
    pageToken: core.ids.opaque(),
  };
  const key = scopedKey(order.merchantId, order.merchantOrderId);
  core.state.orders.set(key, order);
  core.state.pageTokens.set(order.pageToken, key);
  return order;
}

/** Stores a new mandate in ACTIVATION_IN_PROGRESS; its setup order's approval makes it ACTIVE. */
export function insertSubscription(
  core: EmulatorCore,
  input: Omit<SubscriptionRecord, 'subscriptionId' | 'state' | 'pauseStartDate' | 'pauseEndDate'>,
): SubscriptionRecord {
  const sub: SubscriptionRecord = {
    ...input,
    subscriptionId: core.ids.subscriptionId(),
    state: 'ACTIVATION_IN_PROGRESS',
    pauseStartDate: null,
    pauseEndDate: null,
  };
  core.state.subscriptions.set(scopedKey(sub.merchantId, sub.merchantSubscriptionId), sub);
  return sub;
}

/** The hosted page URL of an order (`/transact/uat_v2?token=…`, PhonePe's sandbox shape, docs/phonepe-protocol.md#sandbox). */
export function hostedPageUrl(core: EmulatorCore, order: OrderRecord): string {
  return `${core.publicUrl}/transact/uat_v2?token=${encodeURIComponent(order.pageToken)}`;
}
