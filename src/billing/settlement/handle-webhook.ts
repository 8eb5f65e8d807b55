import type { OrderStatus } from '../../client/schemas/order-status.js';
import type { PaymentRecord, PaymentState } from '../../storage/records/payment-record.js';
import type { RefundRecord, RefundState } from '../../storage/records/refund-record.js';
import type { SubscriptionRecord } from '../../storage/records/subscription-record.js';
import { webhookDedupeKey, webhookSubjectId } from '../../webhooks/webhook-dedupe-key.js';
import type { WebhookEvent } from '../../webhooks/webhook-event.js';
import { inTransaction, SYSTEM_SCOPE, type BillingContext } from '../billing-context.js';
import { providerError } from '../errors/provider-error.js';
import type { OrderWebhookPayload, RefundWebhookPayload } from '../../webhooks/webhook-payloads.js';
import { decidePayment, paymentStateFromOrder } from '../payment-state-machine.js';
import { applyRefundState, refreshRefund, refundStateFromPhonePe } from '../refunds/settle-refund.js';
import { refreshMandate } from '../subscriptions/apply-mandate-state.js';
import { applyPaymentSignal } from './apply-payment-signal.js';
import { fetchOrderStatus } from './fetch-order-status.js';
import { signalFromOrder } from './order-facts.js';

/** What `handleWebhook` did with one event. */
export interface WebhookHandlingResult {
  /**
   * - `processed`: applied (or a no-op on a row already in the state it reports);
   * - `duplicate`: already processed, or a copy of a delivery processed at the same moment;
   * - `ignored`: not ours, or an unknown event type;
   * - `refused`: its amount or ids disagree with our records, or PhonePe's status API contradicts it (audited);
   * - `unconfirmed`: it reports a state PhonePe's status API does not show yet — answer non-2xx so PhonePe
   *   delivers it again (the handler answers 503).
   * Only `processed` marks the event done: after any other outcome the next delivery is processed again.
   */
  outcome: 'processed' | 'duplicate' | 'ignored' | 'refused' | 'unconfirmed';
  event: string;
  dedupeKey: string;
  detail: string;
  payment?: PaymentRecord | null;
  refund?: RefundRecord | null;
  subscription?: SubscriptionRecord | null;
}

const ACTOR = 'phonepe:webhook';

/**
 * Handles a verified webhook once per fact. Copies of an event arriving while it is being processed in
 * this process wait for it (one status call for a storm of copies). The event is recorded under its dedupe
 * key (a repeat of a processed event is a `duplicate`), then settled: unless `config.confirmWebhooks` is
 * off the state is taken from PhonePe's status API, mandate states always are, and a payload whose amount
 * or ids disagree with our row is refused and audited without asking. Only an applied event is marked
 * processed; one that changed nothing is marked unapplied, so the genuine delivery that comes later is
 * not swallowed. If processing fails (PhonePe or the database down), the event is marked failed and the
 * error is thrown, so the route answers 5xx and PhonePe's redelivery is processed again.
 */
export async function handleWebhook(ctx: BillingContext, event: WebhookEvent): Promise<WebhookHandlingResult> {
  const dedupeKey = webhookDedupeKey(event);
  // Mandate states go back and forth under one key: a copy needs a PhonePe read made after it arrived.
  if (event.kind === 'subscription') return ctx.webhooksInFlight.after(dedupeKey, () => handleDelivery(ctx, event, dedupeKey));
  const { result, joined } = ctx.webhooksInFlight.join(dedupeKey, () => handleDelivery(ctx, event, dedupeKey));
  if (!joined) return result;
  const first = await result;
  return first.outcome === 'processed' ? { ...first, outcome: 'duplicate', detail: 'a copy of a delivery processed at the same moment' } : first;
}

async function handleDelivery(ctx: BillingContext, event: WebhookEvent, dedupeKey: string): Promise<WebhookHandlingResult> {
  const now = ctx.clock.now();
  const recorded = await inTransaction(ctx, SYSTEM_SCOPE, (tx) => tx.webhookEvents.record({ dedupeKey, event: event.event, subjectId: webhookSubjectId(event), payload: event.payload, now }));
  if (!recorded.firstSeen && !recorded.retry && isSettledDuplicate(event, recorded.record.status)) {
    return { outcome: 'duplicate', event: event.event, dedupeKey, detail: `already processed; received ${recorded.record.duplicateCount} time(s) since` };
  }
  try {
    const result = await processEvent(ctx, event, dedupeKey);
    const workspaceId = result.payment?.workspaceId ?? result.refund?.workspaceId ?? result.subscription?.workspaceId ?? null;
    const note = { workspaceId, outcome: `${result.outcome}: ${result.detail}`.slice(0, 500), now: ctx.clock.now() };
    await inTransaction(ctx, SYSTEM_SCOPE, (tx) => (result.outcome === 'processed' ? tx.webhookEvents.markProcessed(dedupeKey, note) : tx.webhookEvents.markUnapplied(dedupeKey, note)));
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
 * delivery was processed: a redelivery that overlaps a slow (or crashed) first one in another process is
 * processed too — settlement is idempotent, and acknowledging it unprocessed would lose the event if the
 * first then fails. Mandate state changes are always applied: their key (event + id + state) recurs with
 * every pause/unpause cycle, and reading PhonePe's current state is idempotent.
 */
function isSettledDuplicate(event: WebhookEvent, status: string): boolean {
  return status === 'processed' && event.kind !== 'subscription';
}

async function processEvent(ctx: BillingContext, event: WebhookEvent, dedupeKey: string): Promise<WebhookHandlingResult> {
  const base = { event: event.event, dedupeKey };
  if (event.kind === 'unknown') return { ...base, outcome: 'ignored', detail: 'unknown event type' };
  if (event.kind === 'refund') return processRefundEvent(ctx, event.payload, base);
  if (event.kind === 'subscription') {
    const id = event.payload.merchantSubscriptionId;
    if (!id) return { ...base, outcome: 'ignored', detail: 'subscription event without merchantSubscriptionId' };
    const subscription = await refreshMandate(ctx, id, ACTOR);
    if (!subscription) return { ...base, outcome: 'ignored', detail: `mandate ${id} is not one of ours` };
    return { ...base, outcome: 'processed', detail: `mandate ${id} is ${subscription.mandateState}`, subscription };
  }
  return processOrderEvent(ctx, event.payload, base);
}

async function processRefundEvent(ctx: BillingContext, payload: RefundWebhookPayload, base: { event: string; dedupeKey: string }): Promise<WebhookHandlingResult> {
  const merchantRefundId = payload.merchantRefundId;
  if (!merchantRefundId) return { ...base, outcome: 'ignored', detail: 'refund event without merchantRefundId' };
  const known = await inTransaction(ctx, SYSTEM_SCOPE, (tx) => tx.refunds.getByMerchantRefundId(merchantRefundId));
  if (!known) return { ...base, outcome: 'ignored', detail: `refund ${merchantRefundId} is not ours` };
  const claimedState = payload.state ?? null;
  if (!ctx.config.confirmWebhooks && claimedState === null) return { ...base, outcome: 'ignored', detail: 'the event carries no refund state to apply', refund: known };
  const refund = ctx.config.confirmWebhooks
    ? await refreshRefund(ctx, known, ACTOR)
    : await applyRefundState(ctx, merchantRefundId, { state: claimedState as string, refundId: payload.refundId ?? null, errorCode: payload.errorCode ?? null }, ACTOR);
  const verdict = judgeClaim(claimedState === null ? null : finalOutcome(refundStateFromPhonePe(claimedState)), finalOutcome(refund.state));
  const detail = `refund ${merchantRefundId} is ${refund.state}${verdict === 'processed' ? '' : ` (the event says ${claimedState})`}`;
  return { ...base, outcome: verdict, detail, refund };
}

async function processOrderEvent(ctx: BillingContext, payload: OrderWebhookPayload, base: { event: string; dedupeKey: string }): Promise<WebhookHandlingResult> {
  const merchantOrderId = payload.merchantOrderId;
  const payment = merchantOrderId ? await inTransaction(ctx, SYSTEM_SCOPE, (tx) => tx.payments.getByMerchantOrderId(merchantOrderId)) : null;
  // Other integrations on the same merchant account get webhooks too: an order that is not ours is ignored.
  if (!merchantOrderId || !payment) return { ...base, outcome: 'ignored', detail: `order ${merchantOrderId ?? '(none)'} is not ours`, payment: null };
  // The payload is only a hint, but one that contradicts our row is evidence of tampering: refuse it as is.
  // A payload without a state claims nothing final; its ids and amount are still compared.
  const claim: OrderStatus = { ...payload, state: payload.state ?? 'PENDING' };
  const hint = decidePayment(payment, signalFromOrder(claim, false));
  if (hint.action === 'refuse' && hint.reason !== 'contradicts_terminal') {
    const refused = await applyPaymentSignal(ctx, SYSTEM_SCOPE, merchantOrderId, signalFromOrder(claim, false), { source: 'webhook', actor: ACTOR });
    return { ...base, outcome: 'refused', detail: refused.reason ?? hint.reason, payment: refused.payment };
  }
  if (!ctx.config.confirmWebhooks && !payload.state) return { ...base, outcome: 'ignored', detail: 'the event carries no order state to apply', payment };
  const order = ctx.config.confirmWebhooks ? await fetchOrderStatus(ctx, payment) : claim;
  if (!order) return { ...base, outcome: 'unconfirmed', detail: `PhonePe's status API has no order ${merchantOrderId} yet`, payment };
  const settled = await applyPaymentSignal(ctx, SYSTEM_SCOPE, merchantOrderId, signalFromOrder(order, ctx.config.confirmWebhooks), { source: 'webhook', actor: ACTOR, order });
  if (settled.outcome === 'refused') return { ...base, outcome: 'refused', detail: settled.reason ?? 'refused', payment: settled.payment };
  const stored = settled.payment?.state ?? payment.state;
  const claimed = payload.state ? paymentStateFromOrder(payload.state, payload.errorCode ?? null, payload.detailedErrorCode ?? null) : null;
  const verdict = judgeClaim(finalOutcome(claimed), finalOutcome(stored));
  const moved = settled.to ? `payment ${settled.from} -> ${settled.to}` : `payment is ${stored} (${settled.reason ?? 'no change'})`;
  return { ...base, outcome: verdict, detail: verdict === 'processed' ? moved : `${moved}; the event says ${payload.state}`, payment: settled.payment, subscription: settled.subscription };
}

/**
 * Whether an event's claim was borne out: it reports a final state the row is now in, or no final state
 * at all (an attempt failed, still pending) → `processed`. It reports a final state the row has not
 * reached → `unconfirmed` (PhonePe's status API is behind, or the event is forged: either way it must be
 * delivered again, not swallowed). It reports a final state other than the row's final one → `refused`.
 * States are compared as final outcomes (`null` while open).
 */
function judgeClaim(claimed: string | null, stored: string | null): 'processed' | 'unconfirmed' | 'refused' {
  if (claimed === null || claimed === stored) return 'processed';
  return stored === null ? 'unconfirmed' : 'refused';
}

// A payment's final outcome, or null while open: failed and expired are both "unpaid".
function finalOutcome(state: PaymentState | RefundState | null): string | null {
  if (state === 'completed') return 'completed';
  if (state === 'failed' || state === 'expired') return 'unpaid';
  return null;
}
