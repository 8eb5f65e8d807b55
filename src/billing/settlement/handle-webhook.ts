import type { OrderStatus } from '../../client/schemas/order-status.js';
import type { PaymentRecord } from '../../storage/records/payment-record.js';
import type { RefundRecord } from '../../storage/records/refund-record.js';
import type { SubscriptionRecord } from '../../storage/records/subscription-record.js';
import { webhookDedupeKey, webhookSubjectId } from '../../webhooks/webhook-dedupe-key.js';
import type { WebhookEvent } from '../../webhooks/webhook-event.js';
import { inTransaction, SYSTEM_SCOPE, type BillingContext } from '../billing-context.js';
import { providerError } from '../errors/provider-error.js';
import { applyRefundState, refreshRefund } from '../refunds/settle-refund.js';
import { applyMandateState } from '../subscriptions/apply-mandate-state.js';
import { applyPaymentSignal } from './apply-payment-signal.js';
import { fetchOrderStatus } from './fetch-order-status.js';
import { signalFromOrder } from './order-facts.js';
import { decidePayment } from '../payment-state-machine.js';

/** What `handleWebhook` did with one event. */
export interface WebhookHandlingResult {
  /** `processed`: applied (possibly changing nothing new); `duplicate`: seen before; `ignored`: not ours or unknown; `refused`: disagreed with our records (audited). */
  outcome: 'processed' | 'duplicate' | 'ignored' | 'refused';
  event: string;
  dedupeKey: string;
  detail: string;
  payment?: PaymentRecord | null;
  refund?: RefundRecord | null;
  subscription?: SubscriptionRecord | null;
}

const ACTOR = 'phonepe:webhook';

/**
 * Handles a verified webhook once per fact: records it under its dedupe key (a repeat of a processed
 * event is a `duplicate`), then settles it. A webhook is a hint: unless `config.confirmWebhooks` is off, the state
 * is taken from PhonePe's status API, and a payload whose amount or ids disagree with our row is refused
 * and audited without asking. If processing fails (PhonePe or the database down), the event is marked
 * failed and the error is thrown, so the route answers 5xx and PhonePe's redelivery is processed again.
 */
export async function handleWebhook(ctx: BillingContext, event: WebhookEvent): Promise<WebhookHandlingResult> {
  const dedupeKey = webhookDedupeKey(event);
  const now = ctx.clock.now();
  const recorded = await inTransaction(ctx, SYSTEM_SCOPE, (tx) => tx.webhookEvents.record({ dedupeKey, event: event.event, subjectId: webhookSubjectId(event), payload: event.payload, now }));
  if (!recorded.firstSeen && !recorded.retry && isSettledDuplicate(event, recorded.record.status)) {
    return { outcome: 'duplicate', event: event.event, dedupeKey, detail: `already processed; received ${recorded.record.duplicateCount} time(s) since` };
  }
  try {
    const result = await processEvent(ctx, event, dedupeKey);
    const workspaceId = result.payment?.workspaceId ?? result.refund?.workspaceId ?? result.subscription?.workspaceId ?? null;
    await inTransaction(ctx, SYSTEM_SCOPE, (tx) => tx.webhookEvents.markProcessed(dedupeKey, { workspaceId, outcome: `${result.outcome}: ${result.detail}`.slice(0, 500), now: ctx.clock.now() }));
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await inTransaction(ctx, SYSTEM_SCOPE, (tx) => tx.webhookEvents.markFailed(dedupeKey, { workspaceId: null, error: message.slice(0, 500), now: ctx.clock.now() })).catch((markError: unknown) => {
      ctx.logger.error({ dedupeKey, err: markError instanceof Error ? markError.message : String(markError) }, 'could not mark webhook as failed');
    });
    throw providerError(error, `confirming webhook ${event.event}`);
  }
}

/**
 * Whether a repeat delivery can be answered "duplicate" without processing it. Only once the first
 * delivery was processed: a redelivery that overlaps a slow (or crashed) first one is processed too —
 * settlement is idempotent, and acknowledging it unprocessed would lose the event if the first then fails.
 * Mandate state changes are always applied: their key (event + id + state) recurs with every pause/unpause
 * cycle, and applying a state PhonePe confirms is idempotent.
 */
function isSettledDuplicate(event: WebhookEvent, status: string): boolean {
  return status === 'processed' && event.kind !== 'subscription';
}

async function processEvent(ctx: BillingContext, event: WebhookEvent, dedupeKey: string): Promise<WebhookHandlingResult> {
  const base = { event: event.event, dedupeKey };
  if (event.kind === 'unknown') return { ...base, outcome: 'ignored', detail: 'unknown event type' };
  if (event.kind === 'refund') {
    const merchantRefundId = event.payload.merchantRefundId;
    if (!merchantRefundId) return { ...base, outcome: 'ignored', detail: 'refund event without merchantRefundId' };
    const known = await inTransaction(ctx, SYSTEM_SCOPE, (tx) => tx.refunds.getByMerchantRefundId(merchantRefundId));
    if (!known) return { ...base, outcome: 'ignored', detail: `refund ${merchantRefundId} is not ours` };
    const refund = ctx.config.confirmWebhooks ? await refreshRefund(ctx, known, ACTOR) : await applyRefundState(ctx, merchantRefundId, { state: event.payload.state, refundId: event.payload.refundId ?? null, errorCode: event.payload.errorCode ?? null }, ACTOR);
    return { ...base, outcome: 'processed', detail: `refund ${merchantRefundId} is ${refund.state}`, refund };
  }
  if (event.kind === 'subscription') {
    const id = event.payload.merchantSubscriptionId;
    if (!id) return { ...base, outcome: 'ignored', detail: 'subscription event without merchantSubscriptionId' };
    // Ours first (a mandate replaced by an upgrade, or another integration's, is not), then confirmed.
    const ours = await inTransaction(ctx, SYSTEM_SCOPE, (tx) => tx.subscriptions.getByMerchantSubscriptionId(id));
    if (!ours) return { ...base, outcome: 'ignored', detail: `mandate ${id} is not one of ours` };
    const status = ctx.config.confirmWebhooks ? await ctx.client.subscriptions.getStatus(id) : event.payload;
    const subscription = await applyMandateState(ctx, id, status, ACTOR);
    return subscription ? { ...base, outcome: 'processed', detail: `mandate ${id} is ${status.state}`, subscription } : { ...base, outcome: 'ignored', detail: `mandate ${id} is not one of ours` };
  }
  return processOrderEvent(ctx, event.payload, base);
}

async function processOrderEvent(ctx: BillingContext, payload: OrderStatus, base: { event: string; dedupeKey: string }): Promise<WebhookHandlingResult> {
  const merchantOrderId = payload.merchantOrderId;
  const payment = merchantOrderId ? await inTransaction(ctx, SYSTEM_SCOPE, (tx) => tx.payments.getByMerchantOrderId(merchantOrderId)) : null;
  // Other integrations on the same merchant account get webhooks too: an order that is not ours is ignored.
  if (!merchantOrderId || !payment) return { ...base, outcome: 'ignored', detail: `order ${merchantOrderId ?? '(none)'} is not ours`, payment: null };
  // The payload is only a hint, but one that contradicts our row is evidence of tampering: refuse it as is.
  const hint = decidePayment(payment, signalFromOrder(payload, false));
  if (hint.action === 'refuse' && hint.reason !== 'contradicts_terminal') {
    const refused = await applyPaymentSignal(ctx, SYSTEM_SCOPE, merchantOrderId, signalFromOrder(payload, false), { source: 'webhook', actor: ACTOR });
    return { ...base, outcome: 'refused', detail: refused.reason ?? hint.reason, payment: refused.payment };
  }
  const order = ctx.config.confirmWebhooks ? await fetchOrderStatus(ctx, payment) : payload;
  if (!order) return { ...base, outcome: 'ignored', detail: `PhonePe has no order ${merchantOrderId}; the webhook was not confirmed`, payment };
  const settled = await applyPaymentSignal(ctx, SYSTEM_SCOPE, merchantOrderId, signalFromOrder(order, ctx.config.confirmWebhooks), { source: 'webhook', actor: ACTOR, order });
  const outcome = settled.outcome === 'refused' ? 'refused' : 'processed';
  return { ...base, outcome, detail: settled.to ? `payment ${settled.from} -> ${settled.to}` : `payment is ${settled.payment?.state} (${settled.reason ?? 'no change'})`, payment: settled.payment, subscription: settled.subscription };
}
