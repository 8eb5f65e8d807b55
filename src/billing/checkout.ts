import { z } from 'zod';
import type { StoreScope } from '../storage/billing-store.js';
import { isStoreConflictError } from '../storage/errors.js';
import type { PaymentPurpose, PaymentRecord, PlanRecord, SubscriptionRecord } from '../storage/records.js';
import type { BillingConfig } from './billing-config.js';
import {
  audit,
  type BillingContext,
  gatewayFor,
  inTransaction,
  mandateGatewayFor,
  requirePlan,
  workspaceScope,
} from './billing-context.js';
import { nextPeriod, subscriptionAnchor } from './billing-period.js';
import { BillingError, parseInput, providerError } from './errors.js';
import { formatRupeesForDisplay } from './money.js';
import { isTerminalPaymentState } from './payment-state-machine.js';
import { type GatewayCustomer, type PaymentGateway, signalFromCheckout, signalFromOrder } from './payment-gateway.js';
import { applyPaymentSignal, mandateMaxAmount } from './settlement.js';

const id = (what: string) => z.string().min(1, `${what} is required`).max(128, `${what} is at most 128 characters`);

/**
 * Input of `SubscriptionManager.createCheckout`.
 *
 * @example
 * const input: CreateCheckoutInput = { workspaceId: 'ws_1', userId: 'u_1', planId: 'pro', amount: 299900,
 *   currency: 'INR', returnUrl: 'https://app.example.com/billing', idempotencyKey: 'checkout-ws_1-2026-11' };
 */
export const createCheckoutInputSchema = z.strictObject({
  workspaceId: id('workspaceId'),
  userId: id('userId').nullable().default(null),
  planId: id('planId'),
  /** Integer paise; must equal the plan price exactly (parse rupee strings with `parseRupeeAmount`). */
  amount: z.number().refine(Number.isSafeInteger, 'amount must be a whole number of paise'),
  currency: z.string().default('INR'),
  /** Where the payer lands after paying; must match the redirect allowlist. */
  returnUrl: z.string(),
  /** The same key returns the same checkout (per workspace). */
  idempotencyKey: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, 'idempotencyKey must be printable ASCII without spaces')
    .optional(),
  /** Set up a UPI autopay mandate with the first payment, so renewals are debited automatically. */
  autopay: z.boolean().default(false),
  /** The gateway to pay through, by name (`phonepe`, `razorpay`); the manager's `defaultGateway` when left out. */
  gateway: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,31}$/, 'gateway must be a gateway name such as "phonepe" or "razorpay"')
    .optional(),
  /**
   * The payer, for gateways that keep a customer record with a mandate: Razorpay's UPI Autopay needs `email`
   * and `contact` (a phone number). Stored with the payment; PhonePe ignores it.
   */
  customer: z
    .strictObject({
      name: z.string().min(1).max(50).optional(),
      email: z.email('customer.email must be an email address').max(64).optional(),
      contact: z
        .string()
        .regex(
          /^\+?[0-9]{8,15}$/,
          'customer.contact must be a phone number of 8–15 digits, optionally with a leading +',
        )
        .optional(),
    })
    .optional(),
});

/** The input of `billing.createCheckout()`: workspace, user, plan and the return URL. */
export type CreateCheckoutInput = z.input<typeof createCheckoutInputSchema>;

/** What `createCheckout` returns: send the payer to `paymentUrl`. */
export interface CheckoutSession {
  /** Our transaction id (the payment row). */
  transactionId: string;
  /** The merchant order id: use it with `refreshPayment`, `GET /payments/status/{order_id}`. */
  orderId: string;
  /**
   * Where to send the payer: PhonePe's hosted payment page, or — for a gateway paid through its own script
   * on a page (Razorpay's Standard Checkout) — this handler's checkout page (`GET /payments/checkout`), which
   * opens it. `null` only if the gateway accepted the order but its answer was lost.
   */
  paymentUrl: string | null;
  /** The gateway the payment goes through (`phonepe`, `razorpay`). */
  gateway: string;
  amount: number;
  currency: 'INR';
  planId: string;
  autopay: boolean;
  state: string;
  /** When PhonePe expires the order (epoch ms), if known. */
  expiresAt: number | null;
  /** True when an earlier call with the same idempotency key created this checkout. */
  replayed: boolean;
}

/** What a new checkout pays for, and the period when it is a renewal. */
export interface CheckoutPurpose {
  purpose: PaymentPurpose;
  subscriptionId: string | null;
  periodStart: number | null;
  periodEnd: number | null;
}

/**
 * Decides what a checkout for `plan` means given the workspace's live subscription: none (or a trial)
 * → a new subscription; the same plan, manually renewed and within the reminder window, or past due on
 * any renewal mode → the renewal of the next period; anything else is refused (use `changePlan` to switch
 * plans).
 */
export function checkoutPurpose(
  live: SubscriptionRecord | null,
  plan: PlanRecord,
  now: number,
  config: BillingConfig,
): CheckoutPurpose {
  if (!live || live.status === 'trialing')
    return { purpose: 'new_subscription', subscriptionId: live?.id ?? null, periodStart: null, periodEnd: null };
  if (live.planId !== plan.id) {
    throw new BillingError(
      'SUBSCRIPTION_EXISTS',
      `Workspace ${live.workspaceId} already subscribes to plan "${live.planId}"; use change-plan to move to "${plan.id}".`,
      { details: { currentPlanId: live.planId } },
    );
  }
  // The next period can be paid by checkout when it is due soon on manual renewal, or overdue on any
  // mode (an autopay debit that failed, or a paused mandate, must not leave the payer unable to pay).
  const dueSoon = now >= live.currentPeriodEnd - config.renewal.reminderLeadMs;
  if (!live.cancelAtPeriodEnd && ((live.renewalMode === 'manual' && dueSoon) || live.status === 'past_due')) {
    const next = nextPeriod({ anchorMs: subscriptionAnchor(live), periodEndMs: live.currentPeriodEnd }, plan.interval);
    return { purpose: 'renewal', subscriptionId: live.id, periodStart: next.start, periodEnd: next.end };
  }
  throw new BillingError(
    'SUBSCRIPTION_EXISTS',
    `Workspace ${live.workspaceId} already has an active "${plan.id}" subscription until ${new Date(live.currentPeriodEnd).toISOString()}; nothing to pay yet.`,
    { details: { currentPeriodEnd: live.currentPeriodEnd } },
  );
}

/** The fields that differ between new payments; everything else starts empty. */
export type NewPaymentFields = Pick<
  PaymentRecord,
  'workspaceId' | 'userId' | 'planId' | 'method' | 'purpose' | 'amountPaise'
> &
  Partial<
    Pick<
      PaymentRecord,
      | 'subscriptionId'
      | 'returnUrl'
      | 'idempotencyKey'
      | 'merchantSubscriptionId'
      | 'periodStart'
      | 'periodEnd'
      | 'gateway'
      | 'gatewayAccount'
      | 'metadata'
    >
  >;

/**
 * The gateway and account a debit of `sub`'s mandate goes to: those that hold the mandate (a mandate row from
 * before they were recorded is PhonePe's, see `mandateGatewayName`).
 */
export function mandateGatewayOf(
  ctx: BillingContext,
  sub: Pick<SubscriptionRecord, 'mandateGateway' | 'mandateGatewayAccount' | 'merchantSubscriptionId'>,
): Pick<PaymentRecord, 'gateway' | 'gatewayAccount'> {
  if (sub.mandateGateway) return { gateway: sub.mandateGateway, gatewayAccount: sub.mandateGatewayAccount };
  const gateway = mandateGatewayFor(ctx, sub);
  return { gateway: gateway.name, gatewayAccount: gateway.account };
}

/**
 * A payment row in state `created`, with fresh ids: it is written before PhonePe is asked, so a crash
 * in between leaves a trace that reconciliation settles.
 */
export function newPaymentRecord(ctx: BillingContext, fields: NewPaymentFields): PaymentRecord {
  const now = ctx.clock.now();
  return {
    id: ctx.ids('txn'),
    merchantOrderId: ctx.ids('ord'),
    gateway: ctx.gateway.name,
    gatewayAccount: ctx.gateway.account,
    subscriptionId: null,
    returnUrl: null,
    idempotencyKey: null,
    merchantSubscriptionId: null,
    periodStart: null,
    periodEnd: null,
    metadata: {},
    ...fields,
    phonepeOrderId: null,
    currency: 'INR',
    state: 'created',
    paymentUrl: null,
    errorCode: null,
    detailedErrorCode: null,
    phonepeTransactionId: null,
    paymentMode: null,
    expiresAt: null,
    notifiedAt: null,
    redeemAfter: null,
    redeemBefore: null,
    attempts: 0,
    lastCheckedAt: null,
    firstSignalAt: null,
    settledAt: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** The URL PhonePe sends the payer back to: our callback route, carrying our order id (PhonePe appends nothing, docs/phonepe-protocol.md#paypage). */
export function callbackUrlFor(ctx: BillingContext, merchantOrderId: string): string {
  const url = new URL(ctx.config.callbackUrl);
  url.searchParams.set('order_id', merchantOrderId);
  return url.href;
}

/**
 * Our checkout page for a payment whose gateway has no hosted page (`GET /payments/checkout?order_id=…`, a
 * sibling of the callback route under the same base path): it opens the gateway's script for the order.
 */
export function checkoutPageUrlFor(ctx: BillingContext, merchantOrderId: string): string {
  const url = new URL('checkout', ctx.config.callbackUrl);
  url.search = '';
  url.searchParams.set('order_id', merchantOrderId);
  return url.href;
}

/** What the gateway asked to keep for its client-side checkout (`metadata.clientState`), or `null`. */
export function storedClientState(payment: Pick<PaymentRecord, 'metadata'>): Record<string, string> | null {
  const state = (payment.metadata as { clientState?: unknown } | null)?.clientState;
  if (!state || typeof state !== 'object') return null;
  return Object.fromEntries(
    Object.entries(state).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** The payer stored with a payment (`metadata.customer`), for gateways that need one for mandates. */
export function storedCustomer(payment: Pick<PaymentRecord, 'metadata'>): GatewayCustomer | null {
  const customer = (payment.metadata as { customer?: Partial<GatewayCustomer> } | null)?.customer;
  if (!customer || typeof customer !== 'object') return null;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  return { name: text(customer.name), email: text(customer.email), contact: text(customer.contact) };
}

/**
 * Creates the gateway's order for a `created` payment row — a one-time checkout, or a checkout that also
 * sets up a UPI autopay mandate (`SUBSCRIPTION_CHECKOUT_SETUP`, FIXED, the plan's frequency, maxAmount
 * = the amount) — and settles the answer: accepted → `pending` with the payment URL; PhonePe's explicit
 * refusal → `failed`. Any other failure means PhonePe may have acted (the client has already asked the
 * order status): an order PhonePe has is recorded `pending` — its payment link is gone, so
 * `PAYMENT_LINK_LOST` asks for a new checkout — and an order PhonePe may not have leaves the row
 * `created`, counted as tried, for a retry with the same idempotency key (which submits the same
 * merchantOrderId again: PhonePe never makes two orders of one id) or for reconciliation.
 */
export async function submitOrder(
  ctx: BillingContext,
  scope: StoreScope,
  payment: PaymentRecord,
  plan: PlanRecord,
  actor: string,
  options: { expireAfterSeconds?: number } = {},
): Promise<PaymentRecord> {
  const gateway = gatewayFor(ctx, payment.gateway);
  try {
    const created = await gateway.createCheckout({
      merchantOrderId: payment.merchantOrderId,
      amountPaise: payment.amountPaise,
      redirectUrl: callbackUrlFor(ctx, payment.merchantOrderId),
      expireAfterSeconds: options.expireAfterSeconds ?? ctx.config.orderExpireAfterSeconds,
      references: { paymentId: payment.id, workspaceId: payment.workspaceId, planId: plan.id },
      mandate:
        payment.method === 'autopay_setup'
          ? {
              merchantMandateId: payment.merchantSubscriptionId as string,
              maxAmountPaise: mandateMaxAmount(payment),
              interval: plan.interval,
            }
          : null,
      customer: storedCustomer(payment),
    });
    // A gateway paid through its own script on a page of ours: the payer is sent to that page.
    const paymentUrl =
      created.paymentUrl ?? (gateway.clientCheckout ? checkoutPageUrlFor(ctx, payment.merchantOrderId) : null);
    const settled = await applyPaymentSignal(ctx, scope, payment.merchantOrderId, signalFromCheckout(created), {
      source: 'create',
      actor,
      patch: {
        paymentUrl,
        expiresAt: created.expiresAt,
        ...(created.clientState ? { metadata: { ...payment.metadata, clientState: created.clientState } } : {}),
      },
    });
    return settled.payment ?? payment;
  } catch (error) {
    const failure = gateway.classifyFailure(error);
    if (failure?.kind === 'outcome_unknown' && failure.existing) {
      // PhonePe has the order (this call's or an earlier one's), read from its order-status API.
      const order = failure.existing;
      const settled = await applyPaymentSignal(ctx, scope, payment.merchantOrderId, signalFromOrder(order, true), {
        source: 'create',
        actor,
        order,
      });
      let current = settled.payment ?? payment;
      // Our own checkout page is never lost: it opens the gateway's script for the order it now has.
      if (current.paymentUrl === null && gateway.clientCheckout && current.state === 'pending')
        current =
          (await inTransaction(ctx, scope, (tx) =>
            tx.payments.update(
              current.id,
              { paymentUrl: checkoutPageUrlFor(ctx, current.merchantOrderId) },
              ctx.clock.now(),
            ),
          )) ?? current;
      // An earlier request may have stored the link meanwhile, or the order may already be settled.
      if (current.paymentUrl !== null || isTerminalPaymentState(current.state)) return current;
      throw paymentLinkLost(current, error);
    }
    if (failure?.kind === 'refused') {
      await applyPaymentSignal(
        ctx,
        scope,
        payment.merchantOrderId,
        { type: 'order_rejected', errorCode: failure.code },
        { source: 'create', actor },
      );
    } else {
      await noteSubmitAttempt(ctx, scope, payment);
    }
    throw providerError(gateway, error, `creating the ${gateway.displayName} order for ${payment.merchantOrderId}`);
  }
}

/** The error for an open order whose payment link never reached us (PhonePe cannot give it again). */
export function paymentLinkLost(payment: PaymentRecord, cause?: unknown): BillingError {
  return new BillingError(
    'PAYMENT_LINK_LOST',
    `PhonePe created order ${payment.merchantOrderId}, but its payment link was lost on the way back; start a new checkout (with a new idempotency key). The order without a link expires unpaid.`,
    { cause, details: { orderId: payment.merchantOrderId } },
  );
}

/** Whether the request that wrote a `created` row is done with PhonePe (answered, refused or given up). */
export function isSubmitFinished(payment: Pick<PaymentRecord, 'state' | 'attempts'>): boolean {
  return payment.state !== 'created' || payment.attempts > 0;
}

// Counts a submit that ended without knowing whether PhonePe has the order: a retry with the same
// idempotency key then resumes at once instead of waiting for a request that is no longer running.
async function noteSubmitAttempt(ctx: BillingContext, scope: StoreScope, payment: PaymentRecord): Promise<void> {
  await inTransaction(ctx, scope, async (tx) => {
    const current = await tx.payments.getById(payment.id);
    if (current?.state === 'created')
      await tx.payments.update(current.id, { attempts: current.attempts + 1 }, ctx.clock.now());
  }).catch((error: unknown) => {
    ctx.logger.warn(
      { merchantOrderId: payment.merchantOrderId, err: error instanceof Error ? error.message : String(error) },
      'could not record the submit attempt; a retry waits for it first',
    );
  });
}

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
  const gateway = chooseGateway(ctx, input.gateway);
  const prepare = () =>
    inTransaction(ctx, scope, async (tx) => {
      const plan = await requirePlan(ctx, tx, input.planId);
      checkPlan(ctx, plan, input.amount, input.autopay);
      if (input.autopay) checkMandateGateway(gateway, input.customer);
      if (input.idempotencyKey) {
        const existing = await tx.payments.getByIdempotencyKey(input.workspaceId, input.idempotencyKey);
        if (existing)
          return {
            plan,
            payment: sameRequestOrThrow(existing, { ...input, gateway: gateway.name }, returnUrl.url),
            replayed: true,
          };
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
        gateway: gateway.name,
        gatewayAccount: gateway.account,
        metadata: input.customer ? { customer: input.customer } : {},
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

/** The gateway a new checkout goes to: the one it names, else the manager's default. */
function chooseGateway(ctx: BillingContext, name: string | undefined): PaymentGateway {
  if (name === undefined) return ctx.gateway;
  const gateway = ctx.gateways.get(name);
  if (gateway) return gateway;
  throw new BillingError(
    'INVALID_INPUT',
    `Gateway "${name}" is not one this app takes payments through; use one of: ${[...ctx.gateways.keys()].join(', ')}.`,
    { details: { fields: [{ field: 'gateway', message: 'unknown gateway' }] } },
  );
}

/** A mandate set-up is refused up front when the gateway cannot hold one, or lacks the payer details it needs. */
export function checkMandateGateway(
  gateway: PaymentGateway,
  customer: { email?: string | undefined; contact?: string | undefined } | undefined,
): void {
  if (!gateway.capabilities.mandates)
    throw new BillingError(
      'AUTOPAY_NOT_AVAILABLE',
      `${gateway.displayName} does not support recurring mandates here; pay without autopay, or through a gateway that does.`,
      { details: { gateway: gateway.name } },
    );
  if (gateway.capabilities.mandateNeedsCustomer && (!customer?.email || !customer.contact))
    throw new BillingError(
      'INVALID_INPUT',
      `A ${gateway.displayName} UPI Autopay mandate needs the payer's customer.email and customer.contact (phone).`,
      { details: { fields: [{ field: 'customer', message: 'email and contact are required for autopay' }] } },
    );
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
  input: { planId: string; amount: number; autopay: boolean; gateway: string; idempotencyKey?: string | undefined },
  returnUrl: string,
): PaymentRecord {
  const same =
    existing.gateway === input.gateway &&
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
    gateway: payment.gateway,
    amount: payment.amountPaise,
    currency: 'INR',
    planId: payment.planId,
    autopay: payment.method === 'autopay_setup',
    state: payment.state,
    expiresAt: payment.expiresAt,
    replayed,
  };
}
