import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { WebhookTarget } from './records.js';
import { webhookAuthorization } from './webhook-authorization.js';
import { legacyWebhookType, type WebhookAttempt, type WebhookDelivery } from './webhook-delivery.js';

export interface WebhookDispatcherOptions {
  resolveTarget(merchantId: string): WebhookTarget | undefined;
  retries: number;
  delaysMs: readonly number[];
  timeoutMs: number;
  fetch: () => typeof fetch;
  clock: Clock;
  logger: Logger;
}

interface Entry {
  delivery: WebhookDelivery;
  /** Settles after the first attempt (and, for a duplicated delivery, the copy's first attempt). */
  first: Promise<void>;
  duplicate: boolean;
  release?: () => void;
}

/**
 * Sends webhooks the way PhonePe does (POST JSON `{event, type, payload}`, static SHA-256
 * `Authorization`, §5.1–5.2) and records each one. First attempts go out one after another, so two
 * events of one action arrive in order; retries after a non-2xx or no answer run in the background
 * on real timers. Test controls: duplicate, hold and release (optionally reversed), resend.
 */
export function createWebhookDispatcher(options: WebhookDispatcherOptions) {
  const entries: Entry[] = [];
  const held: Entry[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const inflight = new Set<AbortController>();
  let idleWaiters: (() => void)[] = [];
  let chain: Promise<void> = Promise.resolve();
  let duplicatesWanted = 0;
  let holding = false;
  let closed = false;
  let active = 0;
  let sequence = 0;

  const setStatus = (entry: Entry, status: WebhookDelivery['status']) => {
    const wasActive = isActive(entry.delivery.status);
    entry.delivery.status = status;
    active += Number(isActive(status)) - Number(wasActive);
    if (active === 0) for (const resolve of idleWaiters.splice(0)) resolve();
  };

  async function attempt(entry: Entry): Promise<void> {
    const { delivery } = entry;
    const target = options.resolveTarget(delivery.merchantId);
    if (closed) return setStatus(entry, 'failed');
    if (!target) return setStatus(entry, 'not-configured');
    setStatus(entry, 'delivering');
    const result = await post(target, delivery.body);
    delivery.attempts.push(result);
    options.logger.debug({ webhookId: delivery.id, event: delivery.event, status: result.status, attempt: delivery.attempts.length }, 'emulator webhook attempt');
    if (result.status !== null && result.status >= 200 && result.status < 300) return setStatus(entry, 'delivered');
    if (delivery.attempts.length > options.retries || closed) return setStatus(entry, 'failed');
    setStatus(entry, 'retrying');
    const delays = options.delaysMs;
    const delay = delays[Math.min(delivery.attempts.length - 1, delays.length - 1)] ?? 0;
    const timer = setTimeout(() => {
      timers.delete(timer);
      void attempt(entry);
    }, delay);
    timers.add(timer);
  }

  async function post(target: WebhookTarget, body: string): Promise<WebhookAttempt> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    inflight.add(controller);
    const at = Date.now();
    try {
      const response = await options.fetch()(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: webhookAuthorization(target.username, target.password) },
        body,
        signal: controller.signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      return { at, status: response.status };
    } catch (error) {
      return { at, status: null, error: error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error) };
    } finally {
      clearTimeout(timer);
      inflight.delete(controller);
    }
  }

  function record(merchantId: string, event: string, payload: Record<string, unknown>, links: Partial<WebhookDelivery> = {}): Entry {
    const type = legacyWebhookType(event);
    const delivery: WebhookDelivery = {
      id: `wh_${(sequence += 1)}`,
      merchantId,
      event,
      type,
      url: options.resolveTarget(merchantId)?.url ?? null,
      body: JSON.stringify({ event, type, payload }),
      payload,
      createdAt: options.clock.now(),
      status: 'queued',
      attempts: [],
      ...links,
    };
    const entry: Entry = { delivery, first: Promise.resolve(), duplicate: false };
    entries.push(entry);
    active += 1;
    return entry;
  }

  function schedule(entry: Entry): Promise<void> {
    const run = async () => {
      await attempt(entry);
      if (!entry.duplicate) return;
      const copy = record(entry.delivery.merchantId, entry.delivery.event, entry.delivery.payload, { duplicateOf: entry.delivery.id });
      await attempt(copy);
    };
    chain = chain.then(run, run);
    return chain;
  }

  function send(merchantId: string, event: string, payload: Record<string, unknown>, links?: Partial<WebhookDelivery>): WebhookDelivery {
    const entry = record(merchantId, event, payload, links);
    if (duplicatesWanted > 0 && !links) {
      duplicatesWanted -= 1;
      entry.duplicate = true;
    }
    if (holding) {
      setStatus(entry, 'held');
      entry.first = new Promise<void>((resolve) => (entry.release = () => schedule(entry).then(resolve)));
      held.push(entry);
    } else {
      entry.first = schedule(entry);
    }
    return entry.delivery;
  }

  return {
    send,
    /** A bookmark for {@link settleSince}. */
    mark: () => entries.length,
    /** Waits (at most `timeoutMs`) for the first attempts of deliveries made since `mark`. */
    async settleSince(mark: number, timeoutMs: number): Promise<void> {
      const pending = entries.slice(mark).filter((e) => e.delivery.status !== 'held').map((e) => e.first);
      if (pending.length === 0) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([Promise.all(pending), limit]);
      clearTimeout(timer);
    },
    deliveries: (): WebhookDelivery[] => entries.map((e) => structuredClone(e.delivery)),
    duplicateNext(count = 1) {
      duplicatesWanted += count;
    },
    hold() {
      holding = true;
    },
    get holding() {
      return holding;
    },
    /** Sends every held delivery, one after another, in the order given; resolves after their first attempts. */
    async release(order: 'original' | 'reverse' = 'original'): Promise<WebhookDelivery[]> {
      holding = false;
      const batch = held.splice(0);
      if (order === 'reverse') batch.reverse();
      for (const entry of batch) {
        setStatus(entry, 'queued');
        entry.release?.();
      }
      await Promise.all(batch.map((e) => e.first));
      return batch.map((e) => structuredClone(e.delivery));
    },
    async resend(id: string): Promise<WebhookDelivery | undefined> {
      const original = entries.find((e) => e.delivery.id === id);
      if (!original) return undefined;
      const copy = send(original.delivery.merchantId, original.delivery.event, original.delivery.payload, { resendOf: id });
      await entries.find((e) => e.delivery === copy)?.first;
      return structuredClone(copy);
    },
    /** Resolves when nothing is queued, being delivered or waiting for a retry (held ones excepted). */
    idle(): Promise<void> {
      if (active === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    /** Forgets recorded deliveries that are finished. */
    clear() {
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        if (!isActive(entries[i]!.delivery.status) && entries[i]!.delivery.status !== 'held') entries.splice(i, 1);
      }
    },
    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const controller of inflight) controller.abort(new Error('emulator closed'));
      for (const entry of entries) if (isActive(entry.delivery.status)) setStatus(entry, 'failed');
      idleWaiters.forEach((resolve) => resolve());
      idleWaiters = [];
    },
  };
}

function isActive(status: WebhookDelivery['status']): boolean {
  return status === 'queued' || status === 'delivering' || status === 'retrying';
}

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;
