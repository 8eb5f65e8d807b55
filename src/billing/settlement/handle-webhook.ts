import { type RefundWebhookPayload, webhookDedupeKey, type WebhookEvent } from '../../webhooks/webhook-event.js';
import { inTransaction, SYSTEM_SCOPE, type BillingContext } from '../billing-context.js';
import { providerError } from '../errors.js';
import { applyRefundState, refreshRefund, refundStateFromPhonePe } from '../refunds/settle-refund.js';
import { refreshMandate } from '../subscriptions/apply-mandate-state.js';
import { handleOrderDelivery } from './handle-order-webhook.js';
import {
  deliveryRecord,
  finalOutcome,
  judgeClaim,
  markFailed,
  markOutcome,
  settledDuplicate,
  type WebhookBase,
  type WebhookHandlingResult,
} from './webhook-handling-result.js';

export type { WebhookHandlingResult } from './webhook-handling-result.js';

const ACTOR = 'phonepe:webhook';

/**
 * Handles a verified webhook once per fact. Copies of an event arriving while it is being processed in
 * this process wait for it (one status call for a storm of copies). The event is recorded under its dedupe
 * key (a repeat of a processed event is a `duplicate`), then settled: unless `config.confirmWebhooks` is
 * off the state is taken from PhonePe's status API, mandate states always are, and a payload whose amount
 * or ids disagree with our row is refused and audited without asking. Only an applied event is marked
 * processed; one that changed nothing is marked unapplied, so the genuine delivery that comes later is
 * not swallowed. If processing fails (PhonePe or the database down), the event is marked failed and the
 * error is thrown, so the route answers 5xx and PhonePe's redelivery is processed again. Order events
 * take one transaction (two with confirmation on, PhonePe's status read between them); see
 * `handleOrderDelivery`.
 */
export async function handleWebhook(ctx: BillingContext, event: WebhookEvent): Promise<WebhookHandlingResult> {
  const dedupeKey = webhookDedupeKey(event);
  // Mandate states go back and forth under one key: a copy needs a PhonePe read made after it arrived.
  if (event.kind === 'subscription')
    return ctx.webhooksInFlight.after(dedupeKey, () => handleDelivery(ctx, event, dedupeKey));
  const { result, joined } = ctx.webhooksInFlight.join(dedupeKey, () => handleDelivery(ctx, event, dedupeKey));
  if (!joined) return result;
  const first = await result;
  return first.outcome === 'processed'
    ? { ...first, outcome: 'duplicate', detail: 'a copy of a delivery processed at the same moment' }
    : first;
}

async function handleDelivery(
  ctx: BillingContext,
  event: WebhookEvent,
  dedupeKey: string,
): Promise<WebhookHandlingResult> {
  if (event.kind === 'order') return handleOrderDelivery(ctx, event, dedupeKey);
  const base: WebhookBase = { event: event.event, dedupeKey };
  const recorded = await inTransaction(ctx, SYSTEM_SCOPE, (tx) =>
    tx.webhookEvents.record(deliveryRecord(ctx, event, dedupeKey)),
  );
  const duplicate = settledDuplicate(event, base, recorded);
  if (duplicate) return duplicate;
  try {
    const result = await processEvent(ctx, event, base);
    await inTransaction(ctx, SYSTEM_SCOPE, (tx) => markOutcome(ctx, tx, result));
    return result;
  } catch (error) {
    await markFailed(ctx, dedupeKey, error, null);
    throw providerError(error, `confirming webhook ${event.event}`);
  }
}

async function processEvent(
  ctx: BillingContext,
  event: Exclude<WebhookEvent, { kind: 'order' }>,
  base: WebhookBase,
): Promise<WebhookHandlingResult> {
  if (event.kind === 'unknown') return { ...base, outcome: 'ignored', detail: 'unknown event type' };
  if (event.kind === 'refund') return processRefundEvent(ctx, event.payload, base);
  const id = event.payload.merchantSubscriptionId;
  if (!id) return { ...base, outcome: 'ignored', detail: 'subscription event without merchantSubscriptionId' };
  const subscription = await refreshMandate(ctx, id, ACTOR);
  if (!subscription) return { ...base, outcome: 'ignored', detail: `mandate ${id} is not one of ours` };
  return { ...base, outcome: 'processed', detail: `mandate ${id} is ${subscription.mandateState}`, subscription };
}

async function processRefundEvent(
  ctx: BillingContext,
  payload: RefundWebhookPayload,
  base: WebhookBase,
): Promise<WebhookHandlingResult> {
  const merchantRefundId = payload.merchantRefundId;
  if (!merchantRefundId) return { ...base, outcome: 'ignored', detail: 'refund event without merchantRefundId' };
  const known = await inTransaction(ctx, SYSTEM_SCOPE, (tx) => tx.refunds.getByMerchantRefundId(merchantRefundId));
  if (!known) return { ...base, outcome: 'ignored', detail: `refund ${merchantRefundId} is not ours` };
  const claimedState = payload.state ?? null;
  if (!ctx.config.confirmWebhooks && claimedState === null)
    return { ...base, outcome: 'ignored', detail: 'the event carries no refund state to apply', refund: known };
  const refund = ctx.config.confirmWebhooks
    ? await refreshRefund(ctx, known, ACTOR)
    : await applyRefundState(
        ctx,
        merchantRefundId,
        { state: claimedState as string, refundId: payload.refundId ?? null, errorCode: payload.errorCode ?? null },
        ACTOR,
      );
  const verdict = judgeClaim(
    claimedState === null ? null : finalOutcome(refundStateFromPhonePe(claimedState)),
    finalOutcome(refund.state),
  );
  const detail = `refund ${merchantRefundId} is ${refund.state}${verdict === 'processed' ? '' : ` (the event says ${claimedState})`}`;
  return { ...base, outcome: verdict, detail, refund };
}
