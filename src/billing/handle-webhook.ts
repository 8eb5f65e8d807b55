import { storableCut } from '../common/unstorable-text.js';
import type { BillingTransaction } from '../storage/billing-store.js';
import type {
  PaymentRecord,
  PaymentState,
  RefundRecord,
  RefundRecordState,
  SubscriptionRecord,
  WebhookEventRecord,
} from '../storage/records.js';
import { type BillingContext, inTransaction, mandateGatewayName, SYSTEM_SCOPE } from './billing-context.js';
import { BillingError } from './errors.js';
import type { PendingHooks } from './billing-hooks.js';
import { providerError } from './errors.js';
import type { PaymentGateway } from './payment-gateway.js';
import { decidePayment } from './payment-state-machine.js';
import { applyRefundState, refreshRefund } from './refunds.js';
import { type GatewayEvent, signalFromOrder } from './payment-gateway.js';
import { fetchOrderStatus, type SettlementResult, settlePayment } from './settlement.js';
import { refreshMandate } from './subscriptions.js';

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

/** The event name and dedupe key every result of one delivery carries. */
export type WebhookBase = Pick<WebhookHandlingResult, 'event' | 'dedupeKey'>;

/** What `webhookEvents.record` is given for a delivery. */
export function deliveryRecord(ctx: BillingContext, event: GatewayEvent) {
  return {
    dedupeKey: event.dedupeKey,
    event: event.event,
    subjectId: event.subjectId,
    gateway: event.gateway,
    payload: event.raw,
    now: ctx.clock.now(),
  };
}

/** Who the audit trail says acted: the gateway's webhook (`phonepe:webhook`). */
const actorOf = (event: GatewayEvent) => `${event.gateway}:webhook`;

/**
 * The answer to a repeat delivery that needs no work, or `null` when it must be processed. Only once an
 * earlier delivery was processed: a redelivery that overlaps a slow (or crashed) first one in another
 * process is processed too — settlement is idempotent, and acknowledging it unprocessed would lose the
 * event if the first then fails. Mandate state changes are always applied: their key (event + id + state)
 * recurs with every pause/unpause cycle, and reading PhonePe's current state is idempotent.
 */
export function settledDuplicate(
  event: GatewayEvent,
  base: WebhookBase,
  recorded: { firstSeen: boolean; retry: boolean; record: WebhookEventRecord },
): WebhookHandlingResult | null {
  if (recorded.firstSeen || recorded.retry || recorded.record.status !== 'processed' || event.kind === 'mandate')
    return null;
  return {
    ...base,
    outcome: 'duplicate',
    detail: `already processed; received ${recorded.record.duplicateCount} time(s) since`,
  };
}

/** Marks the event `processed` when it was applied, else `unapplied` (so a later genuine delivery is not swallowed). */
export async function markOutcome(
  ctx: BillingContext,
  tx: BillingTransaction,
  result: WebhookHandlingResult,
): Promise<void> {
  const workspaceId =
    result.payment?.workspaceId ?? result.refund?.workspaceId ?? result.subscription?.workspaceId ?? null;
  const note = { workspaceId, outcome: storableCut(`${result.outcome}: ${result.detail}`, 500), now: ctx.clock.now() };
  if (result.outcome === 'processed') await tx.webhookEvents.markProcessed(result.dedupeKey, note);
  else await tx.webhookEvents.markUnapplied(result.dedupeKey, note);
}

/**
 * Marks a delivery whose processing failed as `failed`, so the next delivery takes it over. `recording`
 * is given when the failed transaction took the delivery's record with it: it is recorded again first.
 * A failure here is logged, never thrown (the processing error is what the caller reports).
 */
export async function markFailed(
  ctx: BillingContext,
  dedupeKey: string,
  error: unknown,
  recording: ReturnType<typeof deliveryRecord> | null,
): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await inTransaction(ctx, SYSTEM_SCOPE, async (tx) => {
    if (recording) await tx.webhookEvents.record(recording);
    await tx.webhookEvents.markFailed(dedupeKey, {
      workspaceId: null,
      error: storableCut(message, 500),
      now: ctx.clock.now(),
    });
  }).catch((markError: unknown) => {
    ctx.logger.error(
      { dedupeKey, err: markError instanceof Error ? markError.message : String(markError) },
      'could not mark webhook as failed',
    );
  });
}

/**
 * Whether an event's claim was borne out: it reports a final state the row is now in, or no final state
 * at all (an attempt failed, still pending) → `processed`. It reports a final state the row has not
 * reached → `unconfirmed` (PhonePe's status API is behind, or the event is forged: either way it must be
 * delivered again, not swallowed). It reports a final state other than the row's final one → `refused`.
 * States are compared as final outcomes (`null` while open).
 */
export function judgeClaim(claimed: string | null, stored: string | null): 'processed' | 'unconfirmed' | 'refused' {
  if (claimed === null || claimed === stored) return 'processed';
  return stored === null ? 'unconfirmed' : 'refused';
}

/** A payment's or refund's final outcome, or null while open: failed and expired are both "unpaid". */
export function finalOutcome(state: PaymentState | RefundRecordState | null): string | null {
  if (state === 'completed') return 'completed';
  if (state === 'failed' || state === 'expired') return 'unpaid';
  return null;
}

/**
 * An order event (checkout, autopay setup, notice, debit), in as few transactions as the rules allow.
 * The first records the delivery, locks the payment and, when no PhonePe call is needed (confirmation off,
 * an order that is not ours, a payload that contradicts our row), settles it and marks the event — one
 * transaction in all. With confirmation on, PhonePe's order status is read after that transaction has
 * committed (no row lock is held across the HTTP call), and a second transaction settles and marks it.
 * A failure marks the event failed (recording the delivery again when its transaction was rolled back).
 */
export async function handleOrderDelivery(
  ctx: BillingContext,
  event: Extract<GatewayEvent, { kind: 'order' }>,
): Promise<WebhookHandlingResult> {
  const dedupeKey = event.dedupeKey;
  const base: WebhookBase = { event: event.event, dedupeKey };
  const recording = deliveryRecord(ctx, event);
  // How far the delivery's record got, for the failure path (set inside callbacks, hence the object).
  const recorded: { state: 'no' | 'in_transaction' | 'committed' } = { state: 'no' };
  try {
    const first = await inTransaction(ctx, SYSTEM_SCOPE, async (tx, hooks) => {
      const entry = await tx.webhookEvents.record(recording);
      recorded.state = 'in_transaction';
      const duplicate = settledDuplicate(event, base, entry);
      if (duplicate) return { done: duplicate, ask: null };
      const merchantOrderId = event.merchantOrderId;
      const payment = merchantOrderId ? await tx.payments.getForUpdateByMerchantOrderId(merchantOrderId) : null;
      const done = await settleWithoutGateway(ctx, tx, hooks, event, base, payment);
      if (done) await markOutcome(ctx, tx, done);
      return done ? { done, ask: null } : { done: null, ask: payment as PaymentRecord };
    });
    recorded.state = 'committed';
    if (first.done) return first.done;
    return await confirmAndSettle(ctx, event, base, first.ask as PaymentRecord);
  } catch (error) {
    // A failure of the record itself leaves nothing to mark (the next delivery records it).
    if (recorded.state !== 'no')
      await markFailed(ctx, dedupeKey, error, recorded.state === 'in_transaction' ? recording : null);
    throw providerError(senderOf(ctx, event), error, `confirming webhook ${event.event}`);
  }
}

/**
 * Everything that needs no gateway call, on the locked payment: an order that is not ours is ignored; a
 * payload that contradicts our row is refused as it is (evidence of tampering; audited); with confirmation
 * off the payload's state is settled. Returns `null` when the gateway's order status must decide.
 */
async function settleWithoutGateway(
  ctx: BillingContext,
  tx: BillingTransaction,
  hooks: PendingHooks,
  event: Extract<GatewayEvent, { kind: 'order' }>,
  base: WebhookBase,
  payment: PaymentRecord | null,
): Promise<WebhookHandlingResult | null> {
  const merchantOrderId = event.merchantOrderId;
  const actor = actorOf(event);
  // Other integrations on the same merchant account get webhooks too: an order that is not ours is ignored,
  // and so is one held by another gateway (a gateway's event never settles another gateway's payment).
  if (!merchantOrderId || !payment || payment.gateway !== event.gateway)
    return { ...base, outcome: 'ignored', detail: `order ${merchantOrderId ?? '(none)'} is not ours`, payment: null };
  // The payload is only a hint. A payload without a state claims nothing final; its ids and amount are still compared.
  const claim = event.order;
  const hint = decidePayment(payment, signalFromOrder(claim, false));
  if (hint.action === 'refuse' && hint.reason !== 'contradicts_terminal') {
    const refused = await settlePayment(ctx, tx, hooks, merchantOrderId, payment, signalFromOrder(claim, false), {
      source: 'webhook',
      actor,
    });
    return { ...base, outcome: 'refused', detail: refused.reason ?? hint.reason, payment: refused.payment };
  }
  if (ctx.config.confirmWebhooks) return null;
  if (event.claimed === null)
    return { ...base, outcome: 'ignored', detail: 'the event carries no order state to apply', payment };
  const settled = await settlePayment(ctx, tx, hooks, merchantOrderId, payment, signalFromOrder(claim, false), {
    source: 'webhook',
    actor,
    order: claim,
  });
  return verdict(event, base, payment, settled);
}

/** Asks the gateway for the order's state (outside any transaction), then settles and marks it in one transaction. */
async function confirmAndSettle(
  ctx: BillingContext,
  event: Extract<GatewayEvent, { kind: 'order' }>,
  base: WebhookBase,
  payment: PaymentRecord,
): Promise<WebhookHandlingResult> {
  const merchantOrderId = payment.merchantOrderId;
  const order = await fetchOrderStatus(ctx, payment);
  return inTransaction(ctx, SYSTEM_SCOPE, async (tx, hooks) => {
    const result: WebhookHandlingResult = order
      ? verdict(
          event,
          base,
          payment,
          await settlePayment(
            ctx,
            tx,
            hooks,
            merchantOrderId,
            await tx.payments.getForUpdateByMerchantOrderId(merchantOrderId),
            signalFromOrder(order, true),
            { source: 'webhook', actor: actorOf(event), order },
          ),
        )
      : {
          ...base,
          outcome: 'unconfirmed',
          detail: `PhonePe's status API has no order ${merchantOrderId} yet`,
          payment,
        };
    await markOutcome(ctx, tx, result);
    return result;
  });
}

/** What the event amounts to once settled: its claim judged against the row's state (see `judgeClaim`). */
function verdict(
  event: Extract<GatewayEvent, { kind: 'order' }>,
  base: WebhookBase,
  before: PaymentRecord,
  settled: SettlementResult,
): WebhookHandlingResult {
  if (settled.outcome === 'refused')
    return { ...base, outcome: 'refused', detail: settled.reason ?? 'refused', payment: settled.payment };
  const stored = settled.payment?.state ?? before.state;
  const outcome = judgeClaim(finalOutcome(event.claimed), finalOutcome(stored));
  const moved = settled.to
    ? `payment ${settled.from} -> ${settled.to}`
    : `payment is ${stored} (${settled.reason ?? 'no change'})`;
  return {
    ...base,
    outcome,
    detail: outcome === 'processed' ? moved : `${moved}; the event says ${event.order.gatewayState}`,
    payment: settled.payment,
    subscription: settled.subscription,
  };
}

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
export async function handleWebhook(ctx: BillingContext, given: GatewayEvent): Promise<WebhookHandlingResult> {
  const instruments = ctx.instruments;
  if (!instruments) return handleOnce(ctx, given);
  return instruments.tracing.inSpan(
    'billing.webhook',
    { kind: 'internal', attributes: { 'billing.gateway': given.gateway, 'billing.event': given.event } },
    async (span) => {
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      try {
        const result = await handleOnce(ctx, given);
        instruments.webhook(given.gateway, given.event, result.outcome, seconds());
        span.setAttribute('billing.outcome', result.outcome);
        return result;
      } catch (error) {
        instruments.webhook(given.gateway, given.event, 'error', seconds());
        throw error;
      }
    },
  );
}

async function handleOnce(ctx: BillingContext, given: GatewayEvent): Promise<WebhookHandlingResult> {
  const event = await withOurIds(ctx, given);
  const dedupeKey = event.dedupeKey;
  // Mandate states go back and forth under one key: a copy needs a gateway read made after it arrived.
  if (event.kind === 'mandate') return ctx.webhooksInFlight.after(dedupeKey, () => handleDelivery(ctx, event));
  const { result, joined } = ctx.webhooksInFlight.join(dedupeKey, () => handleDelivery(ctx, event));
  if (!joined) return result;
  const first = await result;
  return first.outcome === 'processed'
    ? { ...first, outcome: 'duplicate', detail: 'a copy of a delivery processed at the same moment' }
    : first;
}

async function handleDelivery(ctx: BillingContext, event: GatewayEvent): Promise<WebhookHandlingResult> {
  if (event.kind === 'order') return handleOrderDelivery(ctx, event);
  const dedupeKey = event.dedupeKey;
  const base: WebhookBase = { event: event.event, dedupeKey };
  const recorded = await inTransaction(ctx, SYSTEM_SCOPE, (tx) => tx.webhookEvents.record(deliveryRecord(ctx, event)));
  const duplicate = settledDuplicate(event, base, recorded);
  if (duplicate) return duplicate;
  try {
    const result = await processEvent(ctx, event, base);
    await inTransaction(ctx, SYSTEM_SCOPE, (tx) => markOutcome(ctx, tx, result));
    return result;
  } catch (error) {
    await markFailed(ctx, dedupeKey, error, null);
    throw providerError(senderOf(ctx, event), error, `confirming webhook ${event.event}`);
  }
}

async function processEvent(
  ctx: BillingContext,
  event: Exclude<GatewayEvent, { kind: 'order' }>,
  base: WebhookBase,
): Promise<WebhookHandlingResult> {
  if (event.kind === 'unknown') return { ...base, outcome: 'ignored', detail: 'unknown event type' };
  if (event.kind === 'refund') return processRefundEvent(ctx, event, base);
  const id = event.merchantMandateId;
  if (!id) return { ...base, outcome: 'ignored', detail: 'subscription event without merchantSubscriptionId' };
  const held = await inTransaction(ctx, SYSTEM_SCOPE, (tx) => tx.subscriptions.getByMerchantSubscriptionId(id));
  if (held && mandateGatewayName(held) !== event.gateway)
    return { ...base, outcome: 'ignored', detail: `mandate ${id} is held by another gateway` };
  const subscription = await refreshMandate(ctx, id, actorOf(event));
  if (!subscription) return { ...base, outcome: 'ignored', detail: `mandate ${id} is not one of ours` };
  return { ...base, outcome: 'processed', detail: `mandate ${id} is ${subscription.mandateState}`, subscription };
}

async function processRefundEvent(
  ctx: BillingContext,
  event: Extract<GatewayEvent, { kind: 'refund' }>,
  base: WebhookBase,
): Promise<WebhookHandlingResult> {
  const merchantRefundId = event.merchantRefundId;
  const actor = actorOf(event);
  if (!merchantRefundId) return { ...base, outcome: 'ignored', detail: 'refund event without merchantRefundId' };
  const known = await inTransaction(ctx, SYSTEM_SCOPE, (tx) => tx.refunds.getByMerchantRefundId(merchantRefundId));
  if (!known || known.gateway !== event.gateway)
    return { ...base, outcome: 'ignored', detail: `refund ${merchantRefundId} is not ours` };
  const claim = event.claim;
  // A refund id we are not told of is not ours, whatever its receipt says: Razorpay's receipt is free text
  // that another integration on the account may set to our id. Its payload must never move our row.
  if (claim?.gatewayRefundId && known.phonepeRefundId && claim.gatewayRefundId !== known.phonepeRefundId)
    return {
      ...base,
      outcome: 'refused',
      detail: `refund ${claim.gatewayRefundId} is not ${merchantRefundId} (${known.phonepeRefundId})`,
      refund: known,
    };
  if (!ctx.config.confirmWebhooks && claim === null)
    return { ...base, outcome: 'ignored', detail: 'the event carries no refund state to apply', refund: known };
  const refund =
    ctx.config.confirmWebhooks || claim === null
      ? await refreshRefund(ctx, known, actor)
      : await applyRefundState(ctx, merchantRefundId, claim, actor);
  const verdict = judgeClaim(claim === null ? null : finalOutcome(claim.reported), finalOutcome(refund.state));
  const detail = `refund ${merchantRefundId} is ${refund.state}${verdict === 'processed' ? '' : ` (the event says ${claim?.gatewayState})`}`;
  return { ...base, outcome: verdict, detail, refund };
}

/** The gateway that sent an event (for its error classes); the default one for a name the manager does not hold. */
function senderOf(ctx: BillingContext, event: GatewayEvent): PaymentGateway {
  return ctx.gateways.get(event.gateway) ?? ctx.gateway;
}

/**
 * An event that names only the gateway's own id — Razorpay's `payment.failed` its order id, its `token.*`
 * events the token — with our id filled in from the stored row of that gateway (unchanged when none matches:
 * it is then not ours). Its payload is not trusted any further for this: the id only finds the row.
 */
async function withOurIds(ctx: BillingContext, event: GatewayEvent): Promise<GatewayEvent> {
  if (event.kind === 'order' && event.merchantOrderId === null && event.order.gatewayOrderId !== null) {
    const gatewayOrderId = event.order.gatewayOrderId;
    const payment = await inTransaction(ctx, SYSTEM_SCOPE, (tx) =>
      tx.payments.getByGatewayOrderId(event.gateway, gatewayOrderId),
    );
    return payment ? { ...event, merchantOrderId: payment.merchantOrderId, subjectId: payment.merchantOrderId } : event;
  }
  if (event.kind === 'mandate' && event.merchantMandateId === null && event.gatewayMandateId) {
    const gatewayMandateId = event.gatewayMandateId;
    const sub = await inTransaction(ctx, SYSTEM_SCOPE, (tx) =>
      tx.subscriptions.getByGatewayMandateId(event.gateway, gatewayMandateId),
    );
    return sub?.merchantSubscriptionId ? { ...event, merchantMandateId: sub.merchantSubscriptionId } : event;
  }
  return event;
}

/**
 * Verifies a delivery to `/payments/webhook/<gateway>` with that gateway's own secret and translates it; a
 * gateway this manager does not hold, or one without signed webhooks of its own, is `INVALID_INPUT`.
 */
export async function verifiedGatewayEvent(
  ctx: BillingContext,
  name: string,
  delivery: { body: Uint8Array; headers: Headers },
): Promise<GatewayEvent> {
  const gateway = ctx.gateways.get(name);
  if (!gateway?.verifyWebhook)
    throw new BillingError(
      'INVALID_INPUT',
      gateway
        ? `${gateway.displayName}'s webhooks are not verified here${name === 'phonepe' ? ' (they go to POST /payments/webhook)' : ''}.`
        : `No gateway "${name}" takes payments here (held: ${[...ctx.gateways.keys()].join(', ')}).`,
      { details: { gateway: name } },
    );
  return gateway.verifyWebhook(delivery);
}
