import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import { createEmulatorState, type EmulatorState } from './emulator-state.js';
import { createFaultRegistry, type FaultRegistry } from './fault-registry.js';
import { createPhonePeIds, type PhonePeIds } from './phonepe-ids.js';
import type { ApiFamily, EmulatorOutcome, MerchantRecord, ResponseShape, WebhookTarget } from './records.js';
import { createVirtualClock, type VirtualClock } from './virtual-clock.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';

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
