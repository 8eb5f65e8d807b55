import { parseOptions } from '../common/invalid-options.js';
import type { WebhookEvent } from '../webhooks/webhook-event.js';
import { systemClock } from '../common/clock.js';
import { defaultIdGenerator } from '../common/id-generator.js';
import { silentLogger } from '../common/logger.js';
import type { PaymentRecord, PlanRecord, RefundRecord, SubscriptionRecord } from '../storage/records.js';
import { billingConfigSchema, type BillingConfig } from './billing-config.js';
import { inTransaction, requirePlan, SYSTEM_SCOPE, workspaceScope, type BillingContext } from './billing-context.js';
import { createCheckout } from './checkout/create-checkout.js';
import type { CheckoutSession, CreateCheckoutInput } from './checkout/checkout-input.js';
import { BillingError } from './errors/billing-error.js';
import { billingMetrics, type BillingMetrics } from './metrics/billing-metrics.js';
import { planRecordsFromDefinitions } from './plans/plan-definition.js';
import { reconcile, type ReconcileOptions, type ReconcileResult } from './reconcile/reconcile.js';
import { createRefund } from './refunds/create-refund.js';
import type { RefundInput } from './refunds/refund-input.js';
import type { RenewalRunResult } from './renewals/renewal-result.js';
import { runRenewals, type RunRenewalsOptions } from './renewals/run-renewals.js';
import { createReturnUrlAllowlist } from './return-url-allowlist.js';
import type { SettlementResult } from './settlement/apply-payment-signal.js';
import { handleRedirect, type RedirectOutcome } from './settlement/handle-redirect.js';
import { handleWebhook, type WebhookHandlingResult } from './settlement/handle-webhook.js';
import { InFlight } from './settlement/in-flight.js';
import { refreshPayment } from './settlement/refresh-payment.js';
import { cancelSubscription, resumeSubscription, type CancelInput } from './subscriptions/cancel-subscription.js';
import { changePlan, type ChangePlanInput, type ChangePlanResult } from './subscriptions/change-plan.js';
import { startTrial } from './subscriptions/start-trial.js';
import { subscriptionDetails, type SubscriptionDetails } from './subscriptions/subscription-details.js';
import { subscriptionManagerOptionsSchema, type SubscriptionManagerOptions } from './subscription-manager-options.js';
import { checkQuota, recordUsage, type QuotaCheck, type UsageRecorded } from './usage/record-usage.js';
import { usagePeriodStart } from './usage/usage-period.js';

// The manager's options with its config parsed in the same pass (see the constructor).
const managerOptionsWithConfig = subscriptionManagerOptionsSchema.extend({ config: billingConfigSchema });

/**
 * Subscription billing on PhonePe for one merchant: plans, checkouts, settlement of every signal
 * (webhook, redirect, status refresh, reconciliation) through one state machine, subscriptions with
 * usage quotas, cancellation, plan changes with proration, renewals over UPI autopay, refunds and metrics.
 * Stateless apart from its store: run as many instances (and renewal workers) as you like.
 *
 * @example
 * const billing = new SubscriptionManager({ client, store, plans: [{ id: 'pro', name: 'Pro', price: 299900, interval: 'month', limits: { projects: 50 } }],
 *   config: { callbackUrl: 'https://api.example.com/v1/payments/callback', redirectAllowlist: ['https://app.example.com'] } });
 * await billing.syncPlans();
 * const { paymentUrl } = await billing.createCheckout({ workspaceId: 'ws_1', userId: 'u_1', planId: 'pro', amount: 299900, returnUrl: 'https://app.example.com/billing' });
 */
export class SubscriptionManager {
  readonly #ctx: BillingContext;

  constructor(options: SubscriptionManagerOptions) {
    // One parse, so a mistake inside config is named by its full path (`config.callbackUrl`).
    const config = { data: parseOptions(managerOptionsWithConfig, options, 'SubscriptionManager').config };
    const clock = options.clock ?? systemClock;
    const plans = planRecordsFromDefinitions(options.plans, clock.now());
    this.#ctx = {
      client: options.client,
      store: options.store,
      config: config.data,
      hooks: options.hooks ?? {},
      clock,
      logger: options.logger ?? silentLogger,
      ids: options.ids ?? defaultIdGenerator,
      allowlist: createReturnUrlAllowlist({
        origins: config.data.redirectAllowlist,
        allowHttpLocalhost: config.data.allowHttpLocalhost,
      }),
      plans: new Map(plans.map((plan) => [plan.id, plan])),
      webhooksInFlight: new InFlight(),
    };
  }

  /** The configuration in force, with every default applied (read-only). */
  get config(): Readonly<BillingConfig> {
    return this.#ctx.config;
  }

  /** Writes the plans declared in code to the store (insert or update). Run at start-up or deploy. */
  async syncPlans(): Promise<PlanRecord[]> {
    const now = this.#ctx.clock.now();
    return inTransaction(this.#ctx, SYSTEM_SCOPE, async (tx) => {
      const written: PlanRecord[] = [];
      for (const plan of this.#ctx.plans.values()) written.push(await tx.plans.upsert({ ...plan, updatedAt: now }));
      return written;
    });
  }

  /** The plans on offer (active, from the store when synced, else as declared), cheapest first within sort order. */
  async listPlans(): Promise<PlanRecord[]> {
    const stored = await inTransaction(this.#ctx, SYSTEM_SCOPE, (tx) => tx.plans.listActive());
    return stored.length > 0
      ? stored
      : [...this.#ctx.plans.values()]
          .filter((p) => p.active)
          .sort((a, b) => a.sortOrder - b.sortOrder || a.pricePaise - b.pricePaise);
  }

  /** Starts a payment for a plan and returns PhonePe's payment URL (docs/billing.md#checkout). */
  createCheckout(input: CreateCheckoutInput): Promise<CheckoutSession> {
    return createCheckout(this.#ctx, input);
  }

  /** Settles a verified webhook (deduplicated; confirmed with PhonePe unless `config.confirmWebhooks` is off). */
  handleWebhook(event: WebhookEvent): Promise<WebhookHandlingResult> {
    return handleWebhook(this.#ctx, event);
  }

  /** The payer came back from PhonePe: confirm with PhonePe, settle, and say where to send the browser. */
  handleRedirect(orderId: string): Promise<RedirectOutcome> {
    return handleRedirect(this.#ctx, orderId);
  }

  /** Brings one payment up to date with PhonePe (optionally only within `workspaceId`). */
  refreshPayment(orderId: string, options: { workspaceId?: string; userId?: string } = {}): Promise<SettlementResult> {
    const scope = options.workspaceId ? workspaceScope(options.workspaceId) : SYSTEM_SCOPE;
    return refreshPayment(this.#ctx, scope, orderId, {
      source: 'refresh',
      actor: options.userId ? `user:${options.userId}` : 'system:api',
    });
  }

  /** A payment as stored (optionally only within `workspaceId`), or `null`. */
  getPayment(orderId: string, options: { workspaceId?: string } = {}): Promise<PaymentRecord | null> {
    const scope = options.workspaceId ? workspaceScope(options.workspaceId) : SYSTEM_SCOPE;
    return inTransaction(this.#ctx, scope, (tx) => tx.payments.getByMerchantOrderId(orderId));
  }

  /**
   * The workspace's subscription (the live one, else the latest) with its plan's limits and features and this
   * period's usage, or `null` if it never subscribed. camelCase, amounts in paise, times in epoch ms.
   */
  async getSubscription(workspaceId: string): Promise<SubscriptionDetails | null> {
    return inTransaction(this.#ctx, workspaceScope(workspaceId), async (tx) => {
      const sub = (await tx.subscriptions.getLive(workspaceId)) ?? (await tx.subscriptions.getLatest(workspaceId));
      if (!sub) return null;
      const plan = await requirePlan(this.#ctx, tx, sub.planId);
      return subscriptionDetails(sub, plan, await tx.usage.get(workspaceId, usagePeriodStart(sub)));
    });
  }

  /** Adds usage against the plan limit (atomic; idempotent with `key`); throws `QuotaExceededError` over the limit. */
  recordUsage(
    workspaceId: string,
    metric: string,
    quantity = 1,
    options: { key?: string } = {},
  ): Promise<UsageRecorded> {
    return recordUsage(this.#ctx, workspaceId, metric, quantity, options);
  }

  /** Whether `quantity` more of `metric` fits this period (records nothing). */
  checkQuota(workspaceId: string, metric: string, quantity = 1): Promise<QuotaCheck> {
    return checkQuota(this.#ctx, workspaceId, metric, quantity);
  }

  /** Cancels at period end (default) or now; cancels an autopay mandate at PhonePe. */
  cancel(workspaceId: string, input: CancelInput = {}): Promise<SubscriptionRecord> {
    return cancelSubscription(this.#ctx, workspaceId, input);
  }

  /** Undoes a cancellation at period end before the period ends. */
  resume(workspaceId: string, options: { userId?: string | null } = {}): Promise<SubscriptionRecord> {
    return resumeSubscription(this.#ctx, workspaceId, options);
  }

  /** Upgrade (prorated, applies when paid) or downgrade (at period end). */
  changePlan(workspaceId: string, input: ChangePlanInput | string): Promise<ChangePlanResult> {
    return changePlan(this.#ctx, workspaceId, typeof input === 'string' ? { planId: input } : input);
  }

  /** Starts a free trial of a plan with `trialDays`, once per workspace. */
  startTrial(workspaceId: string, input: { planId: string; userId?: string | null }): Promise<SubscriptionRecord> {
    return startTrial(this.#ctx, workspaceId, input);
  }

  /** Refunds a completed payment fully or partly (never more than paid; one open refund at a time). */
  refund(orderId: string, input: RefundInput = {}): Promise<RefundRecord> {
    return createRefund(this.#ctx, orderId, input);
  }

  /** One pass of the renewal worker; safe to run on several machines at once. */
  runRenewals(options: RunRenewalsOptions & { now?: number } = {}): Promise<RenewalRunResult> {
    return runRenewals(this.#at(options.now), options);
  }

  /** Checks stale payments and refunds against PhonePe and settles them. */
  reconcile(options: ReconcileOptions = {}): Promise<ReconcileResult> {
    return reconcile(this.#ctx, options);
  }

  /** Payment success rate, revenue, subscription movement and webhook stats over `[from, to)`. */
  metrics(range: { from: number; to: number }): Promise<BillingMetrics> {
    return billingMetrics(this.#ctx, range);
  }

  /** A context whose clock reads `now` (for `runRenewals({ now })`), or the normal one. */
  #at(now: number | undefined): BillingContext {
    if (now === undefined) return this.#ctx;
    if (!Number.isSafeInteger(now))
      throw new BillingError('INVALID_INPUT', 'runRenewals: now must be epoch milliseconds.');
    return { ...this.#ctx, clock: { now: () => now } };
  }
}
