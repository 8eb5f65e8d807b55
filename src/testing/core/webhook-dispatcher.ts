import { createHash } from 'node:crypto';
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import type { WebhookTarget } from './records.js';

/** One webhook attempt: when (real time, epoch ms), and the merchant's HTTP status or the network error. */
export interface WebhookAttempt {
  at: number;
  status: number | null;
  error?: string;
}

export const WEBHOOK_DELIVERY_STATUSES = [
  'queued',
  'held',
  'delivering',
  'retrying',
  'delivered',
  'failed',
  'not-configured',
] as const;
/**
 * `queued`/`delivering`/`retrying` are in flight; `held` waits for `webhooks.release()`;
 * `delivered` got a 2xx; `failed` used up its retries; `not-configured` had no webhook URL to go to.
 */
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/**
 * A webhook the emulator sent (or would have sent), as `emu.webhooks.deliveries` lists it.
 *
 * @example
 * const d = emu.webhooks.deliveries.find((d) => d.event === 'checkout.order.completed');
 * d?.attempts.map((a) => a.status); // [500, 200]
 */
export interface WebhookDelivery {
  id: string;
  merchantId: string;
  /** Dotted event name, e.g. `checkout.order.completed` (docs/phonepe-protocol.md#webhook-events). */
  event: string;
  /** Legacy UPPER_SNAKE type, e.g. `CHECKOUT_ORDER_COMPLETED`. */
  type: string;
  url: string | null;
  /** The exact JSON text POSTed. */
  body: string;
  payload: Record<string, unknown>;
  /** Virtual-clock time the event happened. */
  createdAt: number;
  status: WebhookDeliveryStatus;
  attempts: WebhookAttempt[];
  /** Set on the extra copy made by `webhooks.duplicateNext()`. */
  duplicateOf?: string;
  /** Set on a copy made by `webhooks.resend(id)`. */
  resendOf?: string;
}

/** `checkout.order.completed` → `CHECKOUT_ORDER_COMPLETED` (holds for every event in docs/phonepe-protocol.md#webhook-events). */
export function legacyWebhookType(event: string): string {
  return event.toUpperCase().replaceAll('.', '_');
}

/**
 * The `Authorization` header PhonePe puts on every webhook: lowercase hex SHA-256 of
 * `username:password`, no scheme prefix (docs/phonepe-protocol.md#webhook-auth).
 */
export function webhookAuthorization(username: string, password: string): string {
  return createHash('sha256').update(`${username}:${password}`, 'utf8').digest('hex');
}

/** The headers PhonePe puts on a webhook: JSON and its static `Authorization` (docs/phonepe-protocol.md#webhook-auth). */
export function phonePeWebhookHeaders(target: WebhookTarget): Record<string, string> {
  return {
    'content-type': 'application/json',
    authorization: webhookAuthorization(target.username, target.password),
  };
}

/**
 * One delivery attempt: POST the body with the gateway's headers and wait at most `timeoutMs` for an
 * answer. Never throws; a network error or timeout is `status: null`.
 */
export async function postWebhook(
  fetchImpl: typeof fetch,
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  inflight: Set<AbortController>,
): Promise<WebhookAttempt> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  inflight.add(controller);
  const at = Date.now();
  try {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers,
      body,
      signal: controller.signal,
    });
    await response.arrayBuffer().catch(() => undefined);
    return { at, status: response.status };
  } catch (error) {
    return { at, status: null, error: describe(error) };
  } finally {
    clearTimeout(timer);
    inflight.delete(controller);
  }
}

// fetch wraps the real reason (ECONNREFUSED, our timeout) in `cause`.
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? error.cause.message : error.message;
}

/**
 * How the dispatcher finds, encodes and signs a delivery. `T` is the gateway's target (PhonePe: URL plus
 * Basic credentials; Razorpay: URL plus webhook secret).
 */
export interface WebhookDispatcherOptions<T extends { url: string } = WebhookTarget> {
  resolveTarget(merchantId: string): T | undefined;
  /** The exact text POSTed for a new event. @default PhonePe's `{event, type, payload}` */
  encode?(event: string, payload: Record<string, unknown>, deliveryId: string): string;
  /** The request headers of one attempt (retries, duplicates and resends reuse the body). @default PhonePe's */
  headers?(target: T, delivery: WebhookDelivery): Record<string, string>;
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

const isActive = (status: WebhookDelivery['status']) =>
  status === 'queued' || status === 'delivering' || status === 'retrying';

/**
 * Sends webhooks and records each one: by default the way PhonePe does (POST JSON `{event, type,
 * payload}`, static SHA-256 `Authorization`, docs/phonepe-protocol.md#webhook-auth); the `encode` and
 * `headers` options make it another gateway's (the Razorpay emulator's signed envelope). First attempts
 * go out one after another, so the events of one action arrive in order; retries after a non-2xx or no answer run in the background
 * on real timers. Test controls: duplicate, hold and release (optionally reversed), resend.
 */
export class WebhookDispatcher<T extends { url: string } = WebhookTarget> {
  readonly #options: WebhookDispatcherOptions<T>;
  readonly #entries: Entry[] = [];
  readonly #held: Entry[] = [];
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #inflight = new Set<AbortController>();
  #idleWaiters: (() => void)[] = [];
  #chain: Promise<void> = Promise.resolve();
  #duplicatesWanted = 0;
  #holding = false;
  #closed = false;
  #active = 0;
  #sequence = 0;

  constructor(options: WebhookDispatcherOptions<T>) {
    this.#options = options;
  }

  /** Records and sends (or holds) one webhook. */
  send(
    merchantId: string,
    event: string,
    payload: Record<string, unknown>,
    links?: Partial<WebhookDelivery>,
  ): WebhookDelivery {
    const entry = this.#record(merchantId, event, payload, links);
    if (this.#duplicatesWanted > 0 && !links) {
      this.#duplicatesWanted -= 1;
      entry.duplicate = true;
    }
    if (this.#holding) {
      this.#setStatus(entry, 'held');
      entry.first = new Promise<void>((resolve) => (entry.release = () => void this.#schedule(entry).then(resolve)));
      this.#held.push(entry);
    } else {
      entry.first = this.#schedule(entry);
    }
    return entry.delivery;
  }

  /** A bookmark for {@link settleSince}. */
  mark(): number {
    return this.#entries.length;
  }

  /** Waits (at most `timeoutMs`) for the first attempts of the deliveries made since `mark`. */
  async settleSince(mark: number, timeoutMs: number): Promise<void> {
    const pending = this.#entries
      .slice(mark)
      .filter((e) => e.delivery.status !== 'held')
      .map((e) => e.first);
    if (pending.length === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all(pending), limit]);
    clearTimeout(timer);
  }

  deliveries(): WebhookDelivery[] {
    return this.#entries.map((e) => structuredClone(e.delivery));
  }

  duplicateNext(count = 1): void {
    this.#duplicatesWanted += count;
  }

  hold(): void {
    this.#holding = true;
  }

  /** Sends every held delivery, one after another, in the order given; resolves after their first attempts. */
  async release(order: 'original' | 'reverse' = 'original'): Promise<WebhookDelivery[]> {
    this.#holding = false;
    const batch = this.#held.splice(0);
    if (order === 'reverse') batch.reverse();
    for (const entry of batch) {
      this.#setStatus(entry, 'queued');
      entry.release?.();
    }
    await Promise.all(batch.map((e) => e.first));
    return batch.map((e) => structuredClone(e.delivery));
  }

  /** Sends a past delivery again with the same body; resolves after its first attempt. */
  async resend(id: string): Promise<WebhookDelivery | undefined> {
    const original = this.#entries.find((e) => e.delivery.id === id)?.delivery;
    if (!original) return undefined;
    const copy = this.send(original.merchantId, original.event, original.payload, {
      resendOf: id,
      body: original.body,
    });
    await this.#entries.find((e) => e.delivery === copy)?.first;
    return structuredClone(copy);
  }

  /** Resolves when nothing is queued, being delivered or waiting for a retry (held ones excepted). */
  idle(): Promise<void> {
    if (this.#active === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Forgets recorded deliveries that are finished. */
  clear(): void {
    const keep = this.#entries.filter((e) => isActive(e.delivery.status) || e.delivery.status === 'held');
    this.#entries.splice(0, this.#entries.length, ...keep);
  }

  /** Stops: no new attempts, pending retries cancelled, in-flight requests aborted. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const controller of this.#inflight) controller.abort(new Error('emulator closed'));
    for (const entry of this.#entries) if (isActive(entry.delivery.status)) this.#setStatus(entry, 'failed');
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  #record(
    merchantId: string,
    event: string,
    payload: Record<string, unknown>,
    links: Partial<WebhookDelivery> = {},
  ): Entry {
    const type = legacyWebhookType(event);
    const id = `wh_${++this.#sequence}`;
    const delivery: WebhookDelivery = {
      id,
      merchantId,
      event,
      type,
      url: this.#options.resolveTarget(merchantId)?.url ?? null,
      body: links.body ?? this.#options.encode?.(event, payload, id) ?? JSON.stringify({ event, type, payload }),
      payload,
      createdAt: this.#options.clock.now(),
      status: 'queued',
      attempts: [],
      ...links,
    };
    const entry: Entry = { delivery, first: Promise.resolve(), duplicate: false };
    this.#entries.push(entry);
    this.#active += 1;
    return entry;
  }

  #schedule(entry: Entry): Promise<void> {
    const run = async () => {
      await this.#attempt(entry);
      if (!entry.duplicate) return;
      const { merchantId, event, payload, id, body } = entry.delivery;
      await this.#attempt(this.#record(merchantId, event, payload, { duplicateOf: id, body }));
    };
    this.#chain = this.#chain.then(run, run);
    return this.#chain;
  }

  async #attempt(entry: Entry): Promise<void> {
    const { delivery } = entry;
    const target = this.#options.resolveTarget(delivery.merchantId);
    if (this.#closed) return this.#setStatus(entry, 'failed');
    if (!target) return this.#setStatus(entry, 'not-configured');
    this.#setStatus(entry, 'delivering');
    const headers = this.#options.headers?.(target, delivery) ?? phonePeWebhookHeaders(target as never);
    const result = await postWebhook(
      this.#options.fetch(),
      target.url,
      headers,
      delivery.body,
      this.#options.timeoutMs,
      this.#inflight,
    );
    delivery.attempts.push(result);
    this.#options.logger.debug(
      { webhookId: delivery.id, event: delivery.event, status: result.status, attempt: delivery.attempts.length },
      'emulator webhook attempt',
    );
    if (result.status !== null && result.status >= 200 && result.status < 300)
      return this.#setStatus(entry, 'delivered');
    if (delivery.attempts.length > this.#options.retries || this.#closed) return this.#setStatus(entry, 'failed');
    this.#setStatus(entry, 'retrying');
    this.#retryLater(entry);
  }

  #retryLater(entry: Entry): void {
    const delays = this.#options.delaysMs;
    const delay = delays[Math.min(entry.delivery.attempts.length - 1, delays.length - 1)] ?? 0;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      void this.#attempt(entry);
    }, delay);
    this.#timers.add(timer);
  }

  #setStatus(entry: Entry, status: WebhookDelivery['status']): void {
    const wasActive = isActive(entry.delivery.status);
    entry.delivery.status = status;
    this.#active += Number(isActive(status)) - Number(wasActive);
    if (this.#active === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
