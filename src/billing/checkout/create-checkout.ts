import { isStoreConflictError } from '../../storage/errors.js';
import type { PaymentRecord, PlanRecord } from '../../storage/records.js';
import { audit, inTransaction, requirePlan, workspaceScope, type BillingContext } from '../billing-context.js';
import { BillingError } from '../errors/billing-error.js';
import { formatRupeesForDisplay } from '../money/format-paise.js';
import { parseInput } from '../parse-input.js';
import { createCheckoutInputSchema, type CheckoutSession, type CreateCheckoutInput } from './checkout-input.js';
import { checkoutPurpose } from './checkout-purpose.js';
import { newPaymentRecord } from './new-payment-record.js';
import { isSubmitFinished, paymentLinkLost, submitOrder } from './submit-order.js';

/**
 * Starts a payment for a plan: validates everything, writes the payment row (`created`) first, then
 * creates the PhonePe order and returns its payment URL. The same idempotency key returns the same
 * checkout (a row left `created` by a crash is submitted again with its original order id).
 */
export async function createCheckout(ctx: BillingContext, raw: CreateCheckoutInput): Promise<CheckoutSession> {
  const input = parseInput(createCheckoutInputSchema, raw, 'createCheckout');
  if (input.currency !== 'INR')
    throw new BillingError(
      'CURRENCY_NOT_SUPPORTED',
      `Currency "${input.currency}" is not supported; PhonePe checkouts are in INR.`,
    );
  const returnUrl = ctx.allowlist.check(input.returnUrl);
  if (!returnUrl.ok)
    throw new BillingError('RETURN_URL_NOT_ALLOWED', returnUrl.message, { details: { problem: returnUrl.problem } });
  const scope = workspaceScope(input.workspaceId);
  const actor = input.userId ? `user:${input.userId}` : 'system:api';
  const prepare = () =>
    inTransaction(ctx, scope, async (tx) => {
      const plan = await requirePlan(ctx, tx, input.planId);
      checkPlan(ctx, plan, input.amount, input.autopay);
      if (input.idempotencyKey) {
        const existing = await tx.payments.getByIdempotencyKey(input.workspaceId, input.idempotencyKey);
        if (existing) return { plan, payment: sameRequestOrThrow(existing, input, returnUrl.url), replayed: true };
      }
      const live = await tx.subscriptions.getLive(input.workspaceId);
      const purpose = checkoutPurpose(live, plan, ctx.clock.now(), ctx.config);
      const payment = newPaymentRecord(ctx, {
        workspaceId: input.workspaceId,
        userId: input.userId,
        planId: plan.id,
        method: input.autopay ? 'autopay_setup' : 'checkout',
        purpose: purpose.purpose,
        amountPaise: input.amount,
        subscriptionId: purpose.subscriptionId,
        periodStart: purpose.periodStart,
        periodEnd: purpose.periodEnd,
        returnUrl: returnUrl.url,
        idempotencyKey: input.idempotencyKey ?? null,
        merchantSubscriptionId: input.autopay ? ctx.ids('mnd') : null,
      });
      await tx.payments.insert(payment);
      await audit(ctx, tx, {
        workspaceId: payment.workspaceId,
        actor,
        action: 'payment.created',
        entityType: 'payment',
        entityId: payment.id,
        data: { planId: plan.id, amountPaise: payment.amountPaise, purpose: payment.purpose, method: payment.method },
      });
      return { plan, payment, replayed: false };
    });
  let prepared: Awaited<ReturnType<typeof prepare>>;
  try {
    prepared = await prepare();
  } catch (error) {
    // Two requests with one idempotency key raced; the loser now finds the winner's row.
    if (isStoreConflictError(error) && error.constraint === 'payment_idempotency_key') prepared = await prepare();
    else throw error;
  }
  const { plan, replayed } = prepared;
  if (!replayed) return toSession(await submitOrder(ctx, scope, prepared.payment, plan, actor), false);
  return toSession(await resumeReplay(ctx, scope, prepared.payment, plan, actor), true);
}

// A replayed checkout whose row is still `created` is normally being submitted by a concurrent
// request with the same key: wait for it (real time) rather than send PhonePe the order twice.
const REPLAY_WAIT_MS = 5_000;
const REPLAY_POLL_MS = 50;
const STALE_CREATED_MS = 30_000;

/**
 * The same idempotency key again: the stored checkout, finished if needed. A row whose submit ended
 * without PhonePe's answer (or whose request died) is submitted again with its own merchantOrderId —
 * PhonePe makes at most one order per id, so this cannot charge twice; an open order whose link was lost
 * cannot be paid, so the caller is told to start a new checkout.
 */
async function resumeReplay(
  ctx: BillingContext,
  scope: ReturnType<typeof workspaceScope>,
  payment: PaymentRecord,
  plan: PlanRecord,
  actor: string,
): Promise<PaymentRecord> {
  const fresh = ctx.clock.now() - payment.createdAt < STALE_CREATED_MS;
  const current = !isSubmitFinished(payment) && fresh ? await awaitOtherRequest(ctx, payment) : payment;
  if (current.state === 'created') return submitOrder(ctx, scope, current, plan, actor);
  if (current.state === 'pending' && current.paymentUrl === null && current.method !== 'autopay_redemption')
    throw paymentLinkLost(current);
  return current;
}

async function awaitOtherRequest(ctx: BillingContext, payment: PaymentRecord): Promise<PaymentRecord> {
  for (let waited = 0; waited < REPLAY_WAIT_MS; waited += REPLAY_POLL_MS) {
    const current = await inTransaction(ctx, workspaceScope(payment.workspaceId), (tx) =>
      tx.payments.getById(payment.id),
    );
    if (!current || isSubmitFinished(current)) return current ?? payment;
    await new Promise((resolve) => setTimeout(resolve, REPLAY_POLL_MS));
  }
  return payment;
}

function checkPlan(ctx: BillingContext, plan: PlanRecord, amount: number, autopay: boolean): void {
  if (!plan.active)
    throw new BillingError('PLAN_INACTIVE', `Plan "${plan.id}" is no longer offered; choose an active plan.`, {
      details: { planId: plan.id },
    });
  if (amount !== plan.pricePaise) {
    throw new BillingError(
      'AMOUNT_MISMATCH',
      `amount ${formatRupeesForDisplay(amount)} does not match the price of plan "${plan.id}" (${formatRupeesForDisplay(plan.pricePaise)}).`,
      {
        details: { expected: plan.pricePaise, received: amount },
      },
    );
  }
  if (!autopay) return;
  if (!plan.autopay || !ctx.config.autopay.enabled)
    throw new BillingError(
      'AUTOPAY_NOT_AVAILABLE',
      `UPI autopay is not available for plan "${plan.id}"; pay without autopay.`,
    );
  if (plan.pricePaise > ctx.config.autopay.maxAmountPaise) {
    throw new BillingError(
      'AUTOPAY_LIMIT_EXCEEDED',
      `Plan "${plan.id}" costs ${formatRupeesForDisplay(plan.pricePaise)}, above the UPI autopay limit of ${formatRupeesForDisplay(ctx.config.autopay.maxAmountPaise)}; pay without autopay (renew manually).`,
      { details: { limit: ctx.config.autopay.maxAmountPaise } },
    );
  }
}

function sameRequestOrThrow(
  existing: PaymentRecord,
  input: { planId: string; amount: number; autopay: boolean; idempotencyKey?: string | undefined },
  returnUrl: string,
): PaymentRecord {
  const same =
    existing.planId === input.planId &&
    existing.amountPaise === input.amount &&
    (existing.method === 'autopay_setup') === input.autopay &&
    existing.returnUrl === returnUrl;
  if (!same) {
    throw new BillingError(
      'IDEMPOTENCY_KEY_REUSED',
      `Idempotency key "${input.idempotencyKey}" was already used for a different checkout; use a new key for a new request.`,
    );
  }
  return existing;
}

function toSession(payment: PaymentRecord, replayed: boolean): CheckoutSession {
  return {
    transactionId: payment.id,
    orderId: payment.merchantOrderId,
    paymentUrl: payment.paymentUrl,
    amount: payment.amountPaise,
    currency: 'INR',
    planId: payment.planId,
    autopay: payment.method === 'autopay_setup',
    state: payment.state,
    expiresAt: payment.expiresAt,
    replayed,
  };
}
