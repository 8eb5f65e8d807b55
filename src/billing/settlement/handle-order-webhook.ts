import type { OrderStatus } from '../../client/responses.js';
import type { PaymentRecord } from '../../storage/records.js';
import type { OrderWebhookEvent, OrderWebhookPayload } from '../../webhooks/webhook-event.js';
import { inTransaction, SYSTEM_SCOPE, type BillingContext } from '../billing-context.js';
import type { PendingHooks } from '../billing-hooks.js';
import { providerError } from '../errors/provider-error.js';
import { decidePayment, paymentStateFromOrder } from '../payment-state-machine.js';
import type { BillingTransaction } from '../../storage/billing-store.js';
import { settlePayment, type SettlementResult } from './apply-payment-signal.js';
import { fetchOrderStatus } from './fetch-order-status.js';
import { signalFromOrder } from './order-facts.js';
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

const ACTOR = 'phonepe:webhook';

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
  event: OrderWebhookEvent,
  dedupeKey: string,
): Promise<WebhookHandlingResult> {
  const base: WebhookBase = { event: event.event, dedupeKey };
  const recording = deliveryRecord(ctx, event, dedupeKey);
  // How far the delivery's record got, for the failure path (set inside callbacks, hence the object).
  const recorded: { state: 'no' | 'in_transaction' | 'committed' } = { state: 'no' };
  try {
    const first = await inTransaction(ctx, SYSTEM_SCOPE, async (tx, hooks) => {
      const entry = await tx.webhookEvents.record(recording);
      recorded.state = 'in_transaction';
      const duplicate = settledDuplicate(event, base, entry);
      if (duplicate) return { done: duplicate, ask: null };
      const merchantOrderId = event.payload.merchantOrderId;
      const payment = merchantOrderId ? await tx.payments.getForUpdateByMerchantOrderId(merchantOrderId) : null;
      const done = await settleWithoutPhonePe(ctx, tx, hooks, event.payload, base, payment);
      if (done) await markOutcome(ctx, tx, done);
      return done ? { done, ask: null } : { done: null, ask: payment as PaymentRecord };
    });
    recorded.state = 'committed';
    if (first.done) return first.done;
    return await confirmAndSettle(ctx, event.payload, base, first.ask as PaymentRecord);
  } catch (error) {
    // A failure of the record itself leaves nothing to mark (the next delivery records it).
    if (recorded.state !== 'no')
      await markFailed(ctx, dedupeKey, error, recorded.state === 'in_transaction' ? recording : null);
    throw providerError(error, `confirming webhook ${event.event}`);
  }
}

/**
 * Everything that needs no PhonePe call, on the locked payment: an order that is not ours is ignored; a
 * payload that contradicts our row is refused as it is (evidence of tampering; audited); with confirmation
 * off the payload's state is settled. Returns `null` when PhonePe's order status must decide.
 */
async function settleWithoutPhonePe(
  ctx: BillingContext,
  tx: BillingTransaction,
  hooks: PendingHooks,
  payload: OrderWebhookPayload,
  base: WebhookBase,
  payment: PaymentRecord | null,
): Promise<WebhookHandlingResult | null> {
  const merchantOrderId = payload.merchantOrderId;
  // Other integrations on the same merchant account get webhooks too: an order that is not ours is ignored.
  if (!merchantOrderId || !payment)
    return { ...base, outcome: 'ignored', detail: `order ${merchantOrderId ?? '(none)'} is not ours`, payment: null };
  // The payload is only a hint. A payload without a state claims nothing final; its ids and amount are still compared.
  const claim: OrderStatus = { ...payload, state: payload.state ?? 'PENDING' };
  const hint = decidePayment(payment, signalFromOrder(claim, false));
  if (hint.action === 'refuse' && hint.reason !== 'contradicts_terminal') {
    const refused = await settlePayment(ctx, tx, hooks, merchantOrderId, payment, signalFromOrder(claim, false), {
      source: 'webhook',
      actor: ACTOR,
    });
    return { ...base, outcome: 'refused', detail: refused.reason ?? hint.reason, payment: refused.payment };
  }
  if (ctx.config.confirmWebhooks) return null;
  if (!payload.state)
    return { ...base, outcome: 'ignored', detail: 'the event carries no order state to apply', payment };
  const settled = await settlePayment(ctx, tx, hooks, merchantOrderId, payment, signalFromOrder(claim, false), {
    source: 'webhook',
    actor: ACTOR,
    order: claim,
  });
  return verdict(payload, base, payment, settled);
}

/** Asks PhonePe for the order's state (outside any transaction), then settles and marks it in one transaction. */
async function confirmAndSettle(
  ctx: BillingContext,
  payload: OrderWebhookPayload,
  base: WebhookBase,
  payment: PaymentRecord,
): Promise<WebhookHandlingResult> {
  const merchantOrderId = payment.merchantOrderId;
  const order = await fetchOrderStatus(ctx, payment);
  return inTransaction(ctx, SYSTEM_SCOPE, async (tx, hooks) => {
    const result: WebhookHandlingResult = order
      ? verdict(
          payload,
          base,
          payment,
          await settlePayment(
            ctx,
            tx,
            hooks,
            merchantOrderId,
            await tx.payments.getForUpdateByMerchantOrderId(merchantOrderId),
            signalFromOrder(order, true),
            { source: 'webhook', actor: ACTOR, order },
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
  payload: OrderWebhookPayload,
  base: WebhookBase,
  before: PaymentRecord,
  settled: SettlementResult,
): WebhookHandlingResult {
  if (settled.outcome === 'refused')
    return { ...base, outcome: 'refused', detail: settled.reason ?? 'refused', payment: settled.payment };
  const stored = settled.payment?.state ?? before.state;
  const claimed = payload.state
    ? paymentStateFromOrder(payload.state, payload.errorCode ?? null, payload.detailedErrorCode ?? null)
    : null;
  const outcome = judgeClaim(finalOutcome(claimed), finalOutcome(stored));
  const moved = settled.to
    ? `payment ${settled.from} -> ${settled.to}`
    : `payment is ${stored} (${settled.reason ?? 'no change'})`;
  return {
    ...base,
    outcome,
    detail: outcome === 'processed' ? moved : `${moved}; the event says ${payload.state}`,
    payment: settled.payment,
    subscription: settled.subscription,
  };
}
