import type { EmulatorCore } from './emulator-core.js';
import { scopedKey } from './emulator-state.js';
import { PhonePeEmulatorError, unknownOrder, unknownSubscription } from './phonepe-emulator-error.js';
import type { OrderRecord, SubscriptionRecord } from './records.js';

/** The merchant's order, or PhonePe's not-found error. */
export function requireOrder(core: EmulatorCore, merchantId: string, merchantOrderId: string): OrderRecord {
  const order = core.state.orders.get(scopedKey(merchantId, merchantOrderId));
  if (!order) throw unknownOrder();
  return order;
}

/** The order with this PhonePe transaction id, if it belongs to `merchantId`. */
export function findOrderByTransactionId(
  core: EmulatorCore,
  merchantId: string,
  transactionId: string,
): OrderRecord | undefined {
  const key = core.state.transactions.get(transactionId);
  const order = key ? core.state.orders.get(key) : undefined;
  return order?.merchantId === merchantId ? order : undefined;
}

export function findOrderByPageToken(core: EmulatorCore, token: string): OrderRecord | undefined {
  const key = core.state.pageTokens.get(token);
  return key ? core.state.orders.get(key) : undefined;
}

export function findSubscription(
  core: EmulatorCore,
  merchantId: string,
  merchantSubscriptionId: string,
): SubscriptionRecord | undefined {
  return core.state.subscriptions.get(scopedKey(merchantId, merchantSubscriptionId));
}

/** The merchant's subscription, or 400 `SUBSCRIPTION_NOT_FOUND`. */
export function requireSubscription(
  core: EmulatorCore,
  merchantId: string,
  merchantSubscriptionId: string,
): SubscriptionRecord {
  const sub = findSubscription(core, merchantId, merchantSubscriptionId);
  if (!sub) throw unknownSubscription();
  return sub;
}

/**
 * Finds a record by its merchant-side id for a control call, across merchants unless
 * `merchantId` narrows it. Two merchants with the same id need `merchantId`.
 */
export function findForControl<T extends { merchantId: string }>(
  map: Map<string, T>,
  id: string,
  what: string,
  merchantId?: string,
): T {
  const matches = [...map.entries()].filter(
    ([key, value]) => key.endsWith(`\u0000${id}`) && (!merchantId || value.merchantId === merchantId),
  );
  if (matches.length === 1) return matches[0]![1];
  if (matches.length === 0) {
    throw new PhonePeEmulatorError(
      404,
      'NOT_FOUND',
      `No ${what} "${id}" exists in the emulator${merchantId ? ` for merchant ${merchantId}` : ''}; create it through the API first.`,
    );
  }
  throw new PhonePeEmulatorError(
    409,
    'AMBIGUOUS_ID',
    `Several merchants have a ${what} "${id}"; pass merchantId to say which one.`,
  );
}
