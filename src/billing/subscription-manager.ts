import { z } from 'zod';
import type { PhonePeClient } from '../client/phonepe-client.js';
import { createPhonePeGateway, phonePeEvent } from './phonepe-gateway.js';
import type { PaymentGateway } from './payment-gateway.js';
import { type Clock, systemClock } from '../common/clock.js';
import { defaultIdGenerator, type IdGenerator } from '../common/id-generator.js';
import { type AssertTrue, InvalidOptionsError, parseOptions, type SchemaMatches } from '../common/invalid-options.js';
import { type Logger, silentLogger } from '../common/logger.js';
import type { BillingStore } from '../storage/billing-store.js';
import type { OutboxCounts } from '../storage/billing-store.js';
import type {
  OutboxEventRecord,
  PaymentRecord,
  PlanRecord,
  RefundRecord,
  SubscriptionRecord,
} from '../storage/records.js';
import type { WebhookEvent } from '../webhooks/webhook-event.js';
import { type BillingConfig, type BillingConfigInput, billingConfigSchema } from './billing-config.js';
import { type BillingContext, inTransaction, requirePlan, SYSTEM_SCOPE, workspaceScope } from './billing-context.js';
import type { BillingHooks } from './billing-hooks.js';
import { billingMetrics, type BillingMetrics } from './billing-metrics.js';
import { type DispatchResult, dispatchEvents, eventCounts, listDeadEvents, replayEvent } from './event-outbox.js';
import {
  type BillingAttention,
  billingAttention,
  type BillingReport,
  type BillingReportInput,
  billingReport,
} from './billing-report.js';
import { type UsageReport, usageReport, type UsageReportInput } from './usage-report.js';
import { BillingInstruments } from './billing-instruments.js';
import { instrumentGateway } from './instrumented-gateway.js';
import { lazyTracing } from '../metrics/tracing.js';
import { changePlan, type ChangePlanInput, type ChangePlanResult } from './change-plan.js';
import { type CheckoutSession, createCheckout, type CreateCheckoutInput } from './checkout.js';
import { type CheckoutPage, checkoutPage, handleCheckoutReturn } from './client-checkout.js';
import { inspectOrder, inspectWorkspace, type OrderInspection, type WorkspaceInspection } from './inspect.js';
import { purge, type PurgeOptions, type PurgeResult } from './retention.js';
import { BillingError } from './errors.js';
import { handleWebhook, verifiedGatewayEvent, type WebhookHandlingResult } from './handle-webhook.js';
import { type PlanDefinition, planRecordsFromDefinitions } from './plan-definition.js';
import { reconcile, type ReconcileOptions, type ReconcileResult } from './reconcile.js';
import { createRefund, type RefundInput } from './refunds.js';
import { type RenewalRunResult, runRenewals, type RunRenewalsOptions } from './renewals.js';
import { createReturnUrlAllowlist } from './return-url-allowlist.js';
import { handleRedirect, InFlight, type RedirectOutcome, refreshPayment, type SettlementResult } from './settlement.js';
import {
  type CancelInput,
  cancelSubscription,
  resumeSubscription,
  startTrial,
  subscriptionDetails,
  type SubscriptionDetails,
} from './subscriptions.js';
import { checkQuota, type QuotaCheck, recordUsage, usagePeriodStart, type UsageRecorded } from './usage.js';

/**
 * Options of `SubscriptionManager`.
 *
 * @example
 * new SubscriptionManager({ client, store, plans, config: { callbackUrl, redirectAllowlist: ['https://app.example.com'] } });
 */
export interface SubscriptionManagerOptions {
  /** The PhonePe client (one merchant's credentials): PhonePe becomes one of the gateways, named `phonepe`. */
  client?: PhonePeClient;
  /**
   * Other payment gateways, e.g. `createRazorpayGateway(…)` from `phonepe-billing/razorpay` (docs/gateways.md).
   * Give `client`, `gateways`, or both; each gateway name once.
   */
  gateways?: readonly PaymentGateway[];
  /** The gateway new checkouts go to when they name none. @default 'phonepe' with a `client`, else the first of `gateways` */
  defaultGateway?: string;
  /** Where billing data lives: `MemoryStore`, or `KyselyStore` from `phonepe-billing/kysely`. */
  store: BillingStore;
  /** The plans on offer, declared in code; `syncPlans()` writes them to the store. */
  plans: readonly PlanDefinition[];
  config: BillingConfigInput;
  /** Callbacks after billing events (delivered from the outbox after commit, at least once; a failing hook is retried and never undoes billing state). */
  hooks?: BillingHooks;
  /** @default systemClock */
  clock?: Clock;
  /** @default silentLogger */
  logger?: Logger;
  /** Id generator for rows and merchant ids. @default defaultIdGenerator */
  ids?: IdGenerator;
  /**
   * Record metrics for `prometheusMetrics()` / `createMetricsHandler` (docs/production.md#metrics) and open
   * OpenTelemetry spans when `@opentelemetry/api` is installed. `false` records nothing and wraps nothing.
   * @default true
   */
  metrics?: boolean;
}

const has = (method: string) => (value: unknown) =>
  typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[method] === 'function';

/** Shape checks at construction (unknown keys are refused with the list of known ones). */
export const subscriptionManagerOptionsSchema = z.strictObject({
  client: z.custom<PhonePeClient>(has('pay'), 'client must be a PhonePeClient').optional(),
  gateways: z
    .array(
      z.custom<PaymentGateway>(
        (v) => has('createCheckout')(v) && has('getOrder')(v) && typeof (v as { name?: unknown }).name === 'string',
        'each gateway must be a PaymentGateway (e.g. createRazorpayGateway(…))',
      ),
    )
    .readonly()
    .optional(),
  defaultGateway: z.string().min(1).optional(),
  store: z.custom<BillingStore>(has('transaction'), 'store must be a BillingStore (MemoryStore or KyselyStore)'),
  plans: z.custom<readonly PlanDefinition[]>(
    (v) => Array.isArray(v) && v.length > 0,
    'plans must declare at least one plan',
  ),
  // Parsed by billingConfigSchema in the same pass (managerOptionsWithConfig below).
  config: z.custom<BillingConfigInput>(() => true),
  // Each hook by name, so a misspelt hook is refused instead of never being called.
  hooks: z.strictObject(hookShape()).optional(),
  clock: z.custom<Clock>(has('now'), 'clock must have now()').optional(),
  logger: z
    .custom<Logger>(
      (v) => has('info')(v) && has('warn')(v) && has('error')(v) && has('debug')(v),
      'logger must have debug/info/warn/error',
    )
    .optional(),
  ids: z.custom<IdGenerator>((v) => typeof v === 'function', 'ids must be a function (prefix) => string').optional(),
  metrics: z.boolean().optional(),
});

function hookShape(): {
  [K in keyof Required<BillingHooks>]: z.ZodOptional<
    z.ZodCustom<NonNullable<BillingHooks[K]>, NonNullable<BillingHooks[K]>>
  >;
} {
  const hook = <K extends keyof BillingHooks>(name: K) =>
    z
      .custom<NonNullable<BillingHooks[K]>>((v) => typeof v === 'function', `hooks.${name} must be a function`)
      .optional();
  return {
    paymentCompleted: hook('paymentCompleted'),
    paymentFailed: hook('paymentFailed'),
    subscriptionActivated: hook('subscriptionActivated'),
    subscriptionRenewed: hook('subscriptionRenewed'),
    subscriptionPlanChanged: hook('subscriptionPlanChanged'),
    subscriptionPastDue: hook('subscriptionPastDue'),
    subscriptionCancelled: hook('subscriptionCancelled'),
    subscriptionResumed: hook('subscriptionResumed'),
    subscriptionExpired: hook('subscriptionExpired'),
    renewalReminder: hook('renewalReminder'),
    quotaWarning: hook('quotaWarning'),
    refundCompleted: hook('refundCompleted'),
    refundFailed: hook('refundFailed'),
    anomaly: hook('anomaly'),
  };
}

// The compiler keeps the interface and its schema in step (an option added to one only fails the build).
// biome-ignore lint/correctness/noUnusedVariables: a compile-time check, never used at runtime
type OptionsTiedToSchema = AssertTrue<
  SchemaMatches<typeof subscriptionManagerOptionsSchema, SubscriptionManagerOptions>
>;

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
    const logger = options.logger ?? silentLogger;
    const given = gatewaysOf(options, config.data.autopay.pathFamily);
    const instruments =
      options.metrics === false
        ? null
        : new BillingInstruments({
            gatewayNames: [...given.byName.keys()],
            webhookEvents: [...given.byName.values()].flatMap((gateway) => gateway.webhookEvents ?? []),
            quotaMetrics: plans.flatMap((plan) => Object.keys(plan.limits)),
            snapshot: () => inTransaction(this.#ctx, SYSTEM_SCOPE, (tx) => tx.metrics.snapshot()),
            tracing: lazyTracing(),
            clock,
            logger,
          });
    const gateways = instruments ? instrumentedGateways(given, instruments) : given;
    this.#ctx = {
      gateway: gateways.default,
      gateways: gateways.byName,
      store: options.store,
      config: config.data,
      hooks: options.hooks ?? {},
      clock,
      logger,
      ids: options.ids ?? defaultIdGenerator,
      allowlist: createReturnUrlAllowlist({
        origins: config.data.redirectAllowlist,
        allowHttpLocalhost: config.data.allowHttpLocalhost,
      }),
      plans: new Map(plans.map((plan) => [plan.id, plan])),
      webhooksInFlight: new InFlight(),
      instruments,
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

  /** Settles a verified PhonePe webhook (deduplicated; confirmed with PhonePe unless `config.confirmWebhooks` is off). */
  async handleWebhook(event: WebhookEvent): Promise<WebhookHandlingResult> {
    // Async, so an event that cannot be translated rejects the returned promise (as it did before the port).
    return handleWebhook(this.#ctx, phonePeEvent(event));
  }

  /**
   * Verifies a webhook delivery of the gateway `gateway` signed with its own secret (Razorpay's
   * `X-Razorpay-Signature`) from the raw body and headers, then settles it like {@link handleWebhook}.
   * Rejects with the gateway's verification error when the delivery is not genuine (nothing changes).
   */
  async handleGatewayWebhook(
    gateway: string,
    delivery: { body: Uint8Array; headers: Headers },
  ): Promise<WebhookHandlingResult> {
    return handleWebhook(this.#ctx, await verifiedGatewayEvent(this.#ctx, gateway, delivery));
  }

  /** The gateways this manager holds, by name, and the one new checkouts go to. */
  get gateways(): { names: string[]; default: string } {
    return { names: [...this.#ctx.gateways.keys()], default: this.#ctx.gateway.name };
  }

  /** The payer came back from PhonePe: confirm with PhonePe, settle, and say where to send the browser. */
  handleRedirect(orderId: string): Promise<RedirectOutcome> {
    return handleRedirect(this.#ctx, orderId);
  }

  /**
   * What the checkout page (`GET /payments/checkout`) opens for an order paid through a gateway's own script
   * (Razorpay's Standard Checkout): the script and its options, or `checkout: null` once it is no longer open.
   */
  checkoutPage(orderId: string): Promise<CheckoutPage> {
    return checkoutPage(this.#ctx, orderId);
  }

  /**
   * The payer came back from a gateway's script with its result fields (`POST /payments/callback`): a signed
   * result must verify for this order (`CHECKOUT_RETURN_INVALID` otherwise), then the payment is confirmed
   * with the gateway and settled like {@link handleRedirect}.
   */
  handleCheckoutReturn(orderId: string, fields: Readonly<Record<string, string>>): Promise<RedirectOutcome> {
    return handleCheckoutReturn(this.#ctx, orderId, fields);
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
  async runRenewals(options: RunRenewalsOptions & { now?: number } = {}): Promise<RenewalRunResult> {
    const result = await runRenewals(this.#at(options.now), options);
    this.#ctx.instruments?.renewalRun(result);
    return result;
  }

  /** Checks stale payments and refunds against PhonePe and settles them. */
  reconcile(options: ReconcileOptions = {}): Promise<ReconcileResult> {
    return reconcile(this.#ctx, options);
  }

  /**
   * An order as stored — payment, refunds, subscription, audit trail — beside its gateway's live view of it.
   * Read only: nothing is settled (`phonepe-billing inspect order`).
   */
  inspectOrder(orderId: string): Promise<OrderInspection> {
    return inspectOrder(this.#ctx, orderId);
  }

  /** A workspace's subscription, recent payments and refunds, usage, its mandate live and its audit trail; read only. */
  inspectWorkspace(workspaceId: string, options: { payments?: number } = {}): Promise<WorkspaceInspection> {
    return inspectWorkspace(this.#ctx, workspaceId, options);
  }

  /**
   * The retention policy (docs/production.md#retention): drops raw webhook payloads older than
   * `olderThanMs` (at least 7 days), in short batches; payments, refunds, subscriptions and audit rows stay.
   */
  purge(options: PurgeOptions): Promise<PurgeResult> {
    return purge(this.#ctx, options);
  }

  /** Payment success rate, revenue, subscription movement and webhook stats over `[from, to)`. */
  metrics(range: { from: number; to: number }): Promise<BillingMetrics> {
    return billingMetrics(this.#ctx, range);
  }

  /**
   * Delivers billing events that are due from the outbox: those a crash left between commit and delivery,
   * retries of failed hooks, and those of processes that do not deliver in-process. Run it in the process
   * that has the hooks (a timer or a worker); safe on several processes at once (each event is claimed by
   * one). Returns what this pass did; call again while `claimed` equals `limit`.
   */
  dispatchEvents(options: { limit?: number } = {}): Promise<DispatchResult> {
    return dispatchEvents(this.#ctx, options);
  }

  /** Events whose hook failed every attempt (`config.outbox.maxAttempts`), most recent first. */
  listDeadEvents(options: { limit?: number } = {}): Promise<OutboxEventRecord[]> {
    return listDeadEvents(this.#ctx, options);
  }

  /** Makes a dead event pending again (attempts from zero): the next `dispatchEvents` delivers it. */
  replayEvent(eventId: string): Promise<OutboxEventRecord> {
    return replayEvent(this.#ctx, eventId);
  }

  /** How many billing events are pending (and due), dead and delivered, and when the oldest pending one was written. */
  eventCounts(): Promise<OutboxCounts> {
    return eventCounts(this.#ctx);
  }

  /**
   * A workspace's usage history over whole UTC days `[from, to)` (at most 400): per day (zero-filled;
   * only usage recorded with a usage key has a day) or per billing period. Read under the workspace's scope.
   */
  usageReport(workspaceId: string, options: UsageReportInput): Promise<UsageReport> {
    return usageReport(this.#ctx, workspaceId, options);
  }

  /**
   * Revenue and health per UTC day over `[from, to)` (at most 400 days): payments and success rate,
   * gross/refunded/net paise, MRR at each day's end, subscription movement, webhook outcomes and
   * callback-to-settlement percentiles. For operators: it crosses every workspace.
   */
  report(options: BillingReportInput): Promise<BillingReport> {
    return billingReport(this.#ctx, options);
  }

  /** The manager's clock, epoch ms (what "today" is for the report routes' default range). */
  now(): number {
    return this.#ctx.clock.now();
  }

  /** Past-due subscriptions and failed webhooks (at most `limit` of each), for the operator dashboard. */
  attention(options: { limit?: number } = {}): Promise<BillingAttention> {
    return billingAttention(this.#ctx, options);
  }

  /**
   * This manager's metrics in the Prometheus text format 0.0.4 — gateway calls, webhooks, settlements,
   * renewals, quota refusals since it was built, and open payments, refunds and subscriptions read from the
   * store now (one query) — for a scrape route; `createMetricsHandler(billing)` serves it
   * (docs/production.md#metrics). Rejects with `INVALID_INPUT` when built with `metrics: false`.
   */
  async prometheusMetrics(): Promise<string> {
    const instruments = this.#ctx.instruments;
    if (!instruments)
      throw new BillingError(
        'INVALID_INPUT',
        'prometheusMetrics: this SubscriptionManager was built with metrics: false, so it records none.',
      );
    return instruments.registry.expose();
  }

  /** A context whose clock reads `now` (for `runRenewals({ now })`), or the normal one. */
  #at(now: number | undefined): BillingContext {
    if (now === undefined) return this.#ctx;
    if (!Number.isSafeInteger(now))
      throw new BillingError('INVALID_INPUT', 'runRenewals: now must be epoch milliseconds.');
    return { ...this.#ctx, clock: { now: () => now } };
  }
}

/** The same gateways, each with its calls timed and counted (see `instrumentGateway`). */
function instrumentedGateways(
  gateways: { byName: ReadonlyMap<string, PaymentGateway>; default: PaymentGateway },
  instruments: BillingInstruments,
): { byName: ReadonlyMap<string, PaymentGateway>; default: PaymentGateway } {
  const byName = new Map(
    [...gateways.byName].map(([name, gateway]) => [name, instrumentGateway(gateway, instruments)]),
  );
  return { byName, default: byName.get(gateways.default.name) as PaymentGateway };
}

/** The gateways of the options, by name, and the default one; a mistake throws `InvalidOptionsError`. */
function gatewaysOf(
  options: SubscriptionManagerOptions,
  pathFamily: BillingConfig['autopay']['pathFamily'],
): { byName: ReadonlyMap<string, PaymentGateway>; default: PaymentGateway } {
  const all: PaymentGateway[] = [];
  if (options.client)
    all.push(createPhonePeGateway({ client: options.client, pathFamily, logger: options.logger ?? silentLogger }));
  all.push(...(options.gateways ?? []));
  const byName = new Map<string, PaymentGateway>();
  for (const gateway of all) {
    if (byName.has(gateway.name))
      throw new InvalidOptionsError(
        'SubscriptionManager',
        'gateways',
        `SubscriptionManager options: gateway "${gateway.name}" is given twice${gateway.name === 'phonepe' ? ' (a client is the PhonePe gateway)' : ''}.`,
      );
    byName.set(gateway.name, gateway);
  }
  const first = all[0];
  if (!first)
    throw new InvalidOptionsError(
      'SubscriptionManager',
      'client',
      'SubscriptionManager options: client is required (or gateways: at least one payment gateway).',
    );
  const chosen = options.defaultGateway === undefined ? first : byName.get(options.defaultGateway);
  if (!chosen)
    throw new InvalidOptionsError(
      'SubscriptionManager',
      'defaultGateway',
      `SubscriptionManager options: defaultGateway "${options.defaultGateway}" is none of the gateways given (${[...byName.keys()].join(', ')}).`,
    );
  return { byName, default: chosen };
}
