import { emitWebhook, type EmulatorCore } from './emulator-core.js';
import { orderView } from './order-view.js';
import type { OrderRecord } from './records.js';

/**
 * Webhooks for an order reaching COMPLETED or FAILED (docs/phonepe-protocol.md#webhook-events): checkout and SC-autopay setup →
 * `checkout.order.*`; API-family setup → `subscription.setup.order.*`; redemption →
 * `subscription.redemption.transaction.*` (when a debit was attempted) then `subscription.redemption.order.*`.
 */
export function emitOrderSettled(core: EmulatorCore, order: OrderRecord, outcome: 'completed' | 'failed'): void {
  const payload = orderView(core, order, { details: true, webhook: true });
  for (const event of settledEvents(order, outcome)) emitWebhook(core, order.merchantId, event, payload);
}

function settledEvents(order: OrderRecord, outcome: 'completed' | 'failed'): string[] {
  if (order.kind === 'REDEMPTION') {
    const attempted = order.attempts.length > 0;
    return [
      ...(attempted ? [`subscription.redemption.transaction.${outcome}`] : []),
      `subscription.redemption.order.${outcome}`,
    ];
  }
  if (order.kind === 'SUBSCRIPTION_SETUP' && order.family === 'subscriptions')
    return [`subscription.setup.order.${outcome}`];
  return [`checkout.order.${outcome}`];
}

/** `checkout.transaction.attempt.failed`: an attempt failed, the order is still PENDING (docs/phonepe-protocol.md#webhook-events). */
export function emitAttemptFailed(core: EmulatorCore, order: OrderRecord): void {
  if (order.family !== 'checkout') return;
  emitWebhook(
    core,
    order.merchantId,
    'checkout.transaction.attempt.failed',
    orderView(core, order, { details: true, webhook: true }),
  );
}
