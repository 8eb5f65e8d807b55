import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/logger.js';
import { type Labels, MetricsRegistry } from '../metrics/metrics-registry.js';
import type { Tracing } from '../metrics/tracing.js';
import type { StoreSnapshot } from '../storage/billing-store.js';
import type { GatewayFailure } from './payment-gateway.js';
import type { SignalSource } from './payment-state-machine.js';
import type { RenewalRunResult } from './renewals.js';
import type { SettlementResult } from './settlement.js';
import type { WebhookHandlingResult } from './handle-webhook.js';

/**
 * The gateway port's calls that reach the gateway, timed and counted one by one (the label `operation`).
 * `verifyWebhook` and `verifyCheckoutReturn` check a signature locally and are not among them.
 */
export const GATEWAY_OPERATIONS = [
  'createCheckout',
  'getOrder',
  'refund',
  'getRefund',
  'getMandate',
  'cancelMandate',
  'notifyDebit',
  'executeDebit',
  'clientCheckout',
] as const;
/** One of {@link GATEWAY_OPERATIONS}. */
export type GatewayOperation = (typeof GATEWAY_OPERATIONS)[number];
/** How a gateway call ended: `ok`, or the kind its gateway's `classifyFailure` gave the error (`unexpected` for one it did not throw). */
export type GatewayCallOutcome = 'ok' | GatewayFailure['kind'];
/** How a webhook delivery ended: its `WebhookHandlingResult.outcome`, or `error` when handling threw. */
export type WebhookOutcome = WebhookHandlingResult['outcome'] | 'error';

/**
 * How long a scrape waits for the store's snapshot: well within Prometheus's default `scrape_timeout`
 * (10 s), so a scrape still answers, with `billing_store_up` 0, when the database does not.
 */
const SNAPSHOT_TIMEOUT_MS = 5_000;

/** `promise`, or a rejection once `ms` have passed (the timer never keeps the process alive). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`the store did not answer within ${ms} ms`)), ms);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The label value for anything outside a known list. */
export const OTHER = 'other';

/** Seconds: from a fast local call to a gateway call that hit its timeout. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;

/** What the instruments know at construction, so that every label stays within a list fixed then. */
export interface BillingInstrumentsOptions {
  /** The gateways the manager holds (label `gateway`). */
  gatewayNames: readonly string[];
  /** Webhook event names labelled as they are (label `event`); any other reads `other`. */
  webhookEvents: readonly string[];
  /** Usage metrics the declared plans limit (label `metric`); any other reads `other`. */
  quotaMetrics: readonly string[];
  /** The store's counts for the scrape-time gauges (one query a scrape). */
  snapshot: () => Promise<StoreSnapshot>;
  tracing: Tracing;
  clock: Clock;
  logger: Logger;
}

const bounded = (known: ReadonlySet<string>, value: string): string => (known.has(value) ? value : OTHER);

/**
 * The metrics (and spans) of one `SubscriptionManager`: what billing records as it works, and the gauges
 * read from the store when scraped. Every label is bounded by a list fixed at construction
 * (docs/production.md#metrics): no workspace, order or user id ever becomes a label.
 */
export class BillingInstruments {
  readonly registry: MetricsRegistry;
  readonly tracing: Tracing;
  readonly #gateways: ReadonlySet<string>;
  readonly #events: ReadonlySet<string>;
  readonly #quotaMetrics: ReadonlySet<string>;
  readonly #gatewayCalls;
  readonly #gatewayLatency;
  readonly #webhooks;
  readonly #webhookLatency;
  readonly #settlements;
  readonly #renewalRuns;
  readonly #renewalActions;
  readonly #quotaRefusals;

  constructor(options: BillingInstrumentsOptions) {
    this.tracing = options.tracing;
    this.#gateways = new Set(options.gatewayNames);
    this.#events = new Set(options.webhookEvents);
    this.#quotaMetrics = new Set(options.quotaMetrics);
    const registry = new MetricsRegistry((family, error) =>
      options.logger.warn(
        { metric: family, err: error instanceof Error ? error.message : String(error) },
        'a scrape-time metric could not be read; it is left out of this scrape',
      ),
    );
    this.registry = registry;
    this.#gatewayCalls = registry.counter({
      name: 'billing_gateway_calls_total',
      help: 'Calls to a payment gateway, by gateway, operation and outcome (ok, refused, outcome_unknown, unavailable, unexpected).',
      labelNames: ['gateway', 'operation', 'outcome'],
    });
    this.#gatewayLatency = registry.histogram({
      name: 'billing_gateway_call_duration_seconds',
      help: 'How long a payment gateway call took, whatever its outcome.',
      labelNames: ['gateway', 'operation'],
      buckets: LATENCY_BUCKETS,
    });
    this.#webhooks = registry.counter({
      name: 'billing_webhooks_total',
      help: 'Verified webhook deliveries handled, by gateway, event (known names, else other) and outcome.',
      labelNames: ['gateway', 'event', 'outcome'],
    });
    this.#webhookLatency = registry.histogram({
      name: 'billing_webhook_duration_seconds',
      help: 'How long handling a verified webhook delivery took (including the gateway status read that confirms it).',
      labelNames: ['gateway'],
      buckets: LATENCY_BUCKETS,
    });
    this.#settlements = registry.counter({
      name: 'billing_settlements_total',
      help: 'Settlement signals applied to payments and committed, by source, outcome and the states before and after.',
      labelNames: ['source', 'outcome', 'from', 'to'],
    });
    this.#renewalRuns = registry.counter({
      name: 'billing_renewal_runs_total',
      help: 'Passes of the renewal worker that finished.',
      labelNames: [],
    });
    this.#renewalActions = registry.counter({
      name: 'billing_renewal_actions_total',
      help: 'What the renewal worker did with the subscriptions it claimed, by action.',
      labelNames: ['action'],
    });
    this.#quotaRefusals = registry.counter({
      name: 'billing_quota_refusals_total',
      help: 'recordUsage calls refused over a plan limit, by usage metric (those the plans limit, else other).',
      labelNames: ['metric'],
    });
    this.#storeGauges(options);
  }

  /** A gateway call ended after `seconds`. */
  gatewayCall(gateway: string, operation: GatewayOperation, outcome: GatewayCallOutcome, seconds: number): void {
    const name = bounded(this.#gateways, gateway);
    this.#gatewayCalls.inc({ gateway: name, operation, outcome });
    this.#gatewayLatency.observe({ gateway: name, operation }, seconds);
  }

  /** A verified webhook delivery was handled (or its handling threw: `error`) in `seconds`. */
  webhook(gateway: string, event: string, outcome: WebhookOutcome, seconds: number): void {
    const name = bounded(this.#gateways, gateway);
    this.#webhooks.inc({ gateway: name, event: bounded(this.#events, event), outcome });
    this.#webhookLatency.observe({ gateway: name }, seconds);
  }

  /** A settlement committed. `from`/`to` are payment states (`none` for an order that is not ours). */
  settlement(source: SignalSource, result: SettlementResult): void {
    const before = result.from ?? result.payment?.state ?? 'none';
    const after = result.to ?? result.payment?.state ?? 'none';
    this.#settlements.inc({ source, outcome: result.outcome, from: before, to: after });
  }

  /** A renewal pass finished. */
  renewalRun(result: RenewalRunResult): void {
    this.#renewalRuns.inc({});
    for (const [action, count] of Object.entries(result.summary))
      if (count) this.#renewalActions.inc({ action }, count);
  }

  /** `recordUsage` refused `metric` over its limit. */
  quotaRefused(metric: string): void {
    this.#quotaRefusals.inc({ metric: bounded(this.#quotaMetrics, metric) });
  }

  /**
   * The gauges read from the store when scraped: all from one `metrics.snapshot()` query per scrape. A new
   * figure of the database (an outbox's oldest undelivered event, say) belongs in that snapshot's statement
   * and gets a gauge here; a figure from elsewhere is one more `this.registry.gauge({ …, collect })`.
   */
  #storeGauges(options: BillingInstrumentsOptions): void {
    // Every gauge below is collected in the same scrape (expose() reads them together): they share one query.
    let inFlight: Promise<StoreSnapshot> | null = null;
    // A database that hangs (a lost connection, an exhausted pool) must not hang the scrape: past
    // SNAPSHOT_TIMEOUT_MS the query counts as unanswered (store_up 0). Scrapes meanwhile share the same
    // query, so a hung database never piles up more of them.
    const snapshot = (): Promise<StoreSnapshot> => {
      inFlight ??= options.snapshot().finally(() => {
        inFlight = null;
      });
      return withTimeout(inFlight, SNAPSHOT_TIMEOUT_MS);
    };
    const samples = <L extends string>(label: L, counts: Readonly<Record<string, number>>) =>
      Object.entries(counts).map(([value, count]) => ({ labels: { [label]: value } as Labels<L>, value: count }));
    this.registry.gauge({
      name: 'billing_store_up',
      help: 'Whether the store answered the scrape-time query (1) or not (0: the gauges read from it are left out).',
      labelNames: [],
      collect: async () => [
        {
          labels: {},
          value: await snapshot().then(
            () => 1,
            () => 0,
          ),
        },
      ],
    });
    this.registry.gauge({
      name: 'billing_open_payments',
      help: 'Payments not yet settled, by state (created: not yet at the gateway; pending: awaiting the payer or bank).',
      labelNames: ['state'],
      collect: async () => samples('state', (await snapshot()).payments),
    });
    this.registry.gauge({
      name: 'billing_oldest_open_payment_age_seconds',
      help: 'Age of the oldest payment not yet settled (0 when none is open); reconciliation settles stale ones.',
      labelNames: [],
      collect: async () => {
        const oldest = (await snapshot()).oldestOpenPaymentAt;
        const age = oldest === null ? 0 : Math.max(0, (options.clock.now() - oldest) / 1000);
        return [{ labels: {}, value: age }];
      },
    });
    this.registry.gauge({
      name: 'billing_open_refunds',
      help: 'Refunds not yet final, by state.',
      labelNames: ['state'],
      collect: async () => samples('state', (await snapshot()).refunds),
    });
    this.registry.gauge({
      name: 'billing_outbox_events',
      help: 'Billing events of the outbox not delivered: pending (waiting or retrying) and dead (given up; list and replay them).',
      labelNames: ['status'],
      collect: async () => samples('status', (await snapshot()).outbox),
    });
    this.registry.gauge({
      name: 'billing_outbox_lag_seconds',
      help: 'Age of the oldest undelivered outbox event (0 when none waits): how far hooks are behind billing state.',
      labelNames: [],
      collect: async () => {
        const oldest = (await snapshot()).oldestPendingEventAt;
        return [{ labels: {}, value: oldest === null ? 0 : Math.max(0, (options.clock.now() - oldest) / 1000) }];
      },
    });
    this.registry.gauge({
      name: 'billing_subscriptions',
      help: 'Subscriptions by status (every workspace that ever subscribed, once per subscription row).',
      labelNames: ['status'],
      collect: async () => samples('status', (await snapshot()).subscriptions),
    });
  }
}
