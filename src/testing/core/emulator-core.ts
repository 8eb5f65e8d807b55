import { randomBytes, randomInt } from 'node:crypto';
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import { createFaultRegistry, type FaultRegistry } from './fault-registry.js';
import type {
  ApiFamily,
  EmulatorOutcome,
  MerchantRecord,
  OrderRecord,
  RefundRecord,
  ResponseShape,
  SubscriptionRecord,
  TokenRecord,
  WebhookTarget,
} from './records.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';

/** Every record, merchant-scoped: merchant ids are unique per merchant, not globally. */
export interface EmulatorState {
  orders: Map<string, OrderRecord>;
  subscriptions: Map<string, SubscriptionRecord>;
  refunds: Map<string, RefundRecord>;
  tokens: Map<string, TokenRecord>;
  /** Hosted-page / SDK token → order key. */
  pageTokens: Map<string, string>;
  /** PhonePe transactionId → order key. */
  transactions: Map<string, string>;
}

export function createEmulatorState(): EmulatorState {
  return {
    orders: new Map(),
    subscriptions: new Map(),
    refunds: new Map(),
    tokens: new Map(),
    pageTokens: new Map(),
    transactions: new Map(),
  };
}

/** The map key of a merchant-scoped id. */
export function scopedKey(merchantId: string, id: string): string {
  return `${merchantId}\u0000${id}`;
}

export function clearEmulatorState(state: EmulatorState): void {
  for (const map of Object.values(state)) map.clear();
}

/** Makes PhonePe-looking ids: `OMO…` orders, `OM…` transactions, `OMR…` refunds, `OMS…` subscriptions. */
export interface PhonePeIds {
  orderId(): string;
  transactionId(): string;
  refundId(): string;
  subscriptionId(): string;
  utr(): string;
  /** URL-safe random token (hosted page, access tokens). */
  opaque(bytes?: number): string;
}

export function createPhonePeIds(clock: Clock): PhonePeIds {
  let sequence = 0;
  // yyMMddHHmmss from the virtual clock, then a sequence and random digits: unique and sortable.
  const stamp = () => new Date(clock.now()).toISOString().replace(/\D/g, '').slice(2, 14);
  const next = (prefix: string) => {
    sequence += 1;
    return `${prefix}${stamp()}${String(sequence).padStart(5, '0')}${String(randomInt(100_000, 1_000_000))}`;
  };
  return {
    orderId: () => next('OMO'),
    transactionId: () => next('OM'),
    refundId: () => next('OMR'),
    subscriptionId: () => next('OMS'),
    utr: () => String(randomInt(100_000, 1_000_000)) + String(randomInt(100_000, 1_000_000)),
    opaque: (bytes = 24) => randomBytes(bytes).toString('base64url'),
  };
}

/** The emulator's clock: the given clock (or real time) plus whatever `advance` added. */
export interface VirtualClock extends Clock {
  advance(ms: number): void;
}

function isAdvanceable(clock: Clock): clock is Clock & { advance(ms: number): void } {
  return typeof (clock as { advance?: unknown }).advance === 'function';
}

/**
 * Wraps `base`. A `ManualClock` (anything with `advance`) is advanced itself, so a host test that
 * shares one manual clock with its billing layer sees the same time as the emulator; any other
 * clock (and the default, real time) gets an offset that `advance` grows.
 */
export function createVirtualClock(base?: Clock): VirtualClock {
  if (base && isAdvanceable(base)) {
    return { now: () => base.now(), advance: (ms) => base.advance(ms) };
  }
  const source = base ?? { now: () => Date.now() };
  let offset = 0;
  return {
    now: () => source.now() + offset,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advanceTime(ms) needs a finite ms >= 0, got ${ms}`);
      offset += ms;
    },
  };
}

/** Everything the core needs, already validated (see emulator-options.ts). */
export interface EmulatorCoreConfig {
  merchants: MerchantRecord[];
  outcome: EmulatorOutcome;
  responseShape: ResponseShape;
  /** Families that serve mandates set up through checkout. */
  mandateFamilies: ApiFamily[];
  wrongFamilyStatus: 401 | 404;
  /** `false`: no check; `'any'`: any non-empty referrer; else the allowed origins. */
  requireReferrer: false | 'any' | string[];
  cancelCompletesAfterMs: number;
  webhook?: WebhookTarget;
  webhookRetries: number;
  webhookDelaysMs: number[];
  webhookTimeoutMs: number;
  waitForFirstAttemptMs: number;
  webhookFetch?: typeof fetch;
  tokenTtlSeconds: number;
  refundConfirmAfterMs: number;
  refundSettleAfterMs: number;
  clock?: Clock;
  logger: Logger;
}

/** The emulator's state machine and its collaborators; the HTTP layer and the controls share it. */
export interface EmulatorCore {
  readonly config: EmulatorCoreConfig;
  readonly state: EmulatorState;
  readonly clock: VirtualClock;
  readonly ids: PhonePeIds;
  readonly webhooks: WebhookDispatcher;
  readonly faults: FaultRegistry;
  readonly logger: Logger;
  /** Origin the hosted page is served from (set once the server listens). */
  publicUrl: string;
  /**
   * Bumped by anything that may change when something falls due (every request other than a GET, every
   * control call): `sweep` trusts its cached next due time only while this is unchanged.
   */
  generation: number;
  /** When the next time-based transition falls due, as of `generation` and the stored counts (see sweep.ts). */
  nextDue: { generation: number; counts: number; at: number } | null;
}

/** Notes that stored state may have changed, so `sweep` looks at everything again. */
export function stateChanged(core: EmulatorCore): void {
  core.generation += 1;
}

export function createEmulatorCore(config: EmulatorCoreConfig, publicUrl = 'http://127.0.0.1'): EmulatorCore {
  const clock = createVirtualClock(config.clock);
  const webhooks = new WebhookDispatcher({
    resolveTarget: (merchantId) => config.merchants.find((m) => m.merchantId === merchantId)?.webhook ?? config.webhook,
    retries: config.webhookRetries,
    delaysMs: config.webhookDelaysMs,
    timeoutMs: config.webhookTimeoutMs,
    fetch: () => config.webhookFetch ?? globalThis.fetch,
    clock,
    logger: config.logger,
  });
  return {
    config,
    state: createEmulatorState(),
    clock,
    ids: createPhonePeIds(clock),
    webhooks,
    faults: createFaultRegistry(),
    logger: config.logger,
    publicUrl,
    generation: 0,
    nextDue: null,
  };
}

/** The outcome for `merchantId`: its own override, else the emulator-wide one. */
export function outcomeFor(core: EmulatorCore, merchantId: string): EmulatorOutcome {
  return core.config.merchants.find((m) => m.merchantId === merchantId)?.outcome ?? core.config.outcome;
}

/** Sends one webhook for `merchantId` (recorded even when no URL is configured). */
export function emitWebhook(
  core: EmulatorCore,
  merchantId: string,
  event: string,
  payload: Record<string, unknown>,
): void {
  core.webhooks.send(merchantId, event, payload);
}
