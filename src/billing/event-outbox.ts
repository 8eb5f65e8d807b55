import { storableCut, storableText } from '../common/unstorable-text.js';
import type { BillingTransaction, OutboxCounts, StoreScope } from '../storage/billing-store.js';
import type { OutboxEventRecord } from '../storage/records.js';
import type { BillingContext } from './billing-context.js';
import type { HookName, PendingHooks } from './billing-hooks.js';
import { BillingError } from './errors.js';

// The transactional outbox of billing events (migrations/007): written inside the transaction of the
// change (writeEvents), delivered after the commit by the process that wrote it (deliverWritten), and
// by dispatchEvents for whatever a crash, a failing hook or a process without hooks left behind.

const SYSTEM: StoreScope = { system: true };
/** Longest `lastError` kept: a hook's message, enough to see what broke. */
const MAX_ERROR_LENGTH = 500;

/** What one delivery pass did. */
export interface DispatchResult {
  /** Events claimed this pass. */
  claimed: number;
  /** Delivered to their hook (or with no hook in this process: nothing to call). */
  delivered: number;
  /** Failed attempts scheduled for a retry. */
  retried: number;
  /** Failed their last attempt: now dead. */
  dead: number;
  /** Claimed but not tried, because an older event of their workspace failed first (given back). */
  deferred: number;
}

/**
 * Writes the events `hooks` queued to the outbox, inside `tx` (so they commit or roll back with the
 * change they report), and returns them. An event names its workspace (the payment's, the
 * subscription's, …); one that names none is the scope's workspace, or a system event.
 */
export async function writeEvents(
  ctx: BillingContext,
  tx: BillingTransaction,
  scope: StoreScope,
  hooks: PendingHooks,
): Promise<OutboxEventRecord[]> {
  const events = hooks.takeEvents();
  if (events.length === 0) return [];
  const now = ctx.clock.now();
  const scopeWorkspace = 'workspaceId' in scope ? scope.workspaceId : null;
  const written = await tx.outbox.append(
    events.map(({ name, event }) => ({
      id: ctx.ids('evt'),
      workspaceId: eventWorkspaceId(event) ?? scopeWorkspace,
      event: name,
      payload: storablePayload(event),
      now,
    })),
  );
  return written;
}

/**
 * Delivers the events a transaction just wrote, unless `config.outbox.deliverInProcess` is off: it claims
 * them together with the due events of their workspaces (an older event of the workspace comes first,
 * and one that another process is delivering right now is followed up here once it is done), and goes on
 * while there are such events. Never throws: a store that cannot be reached now leaves the events
 * pending for `dispatchEvents` (logged).
 */
export async function deliverWritten(ctx: BillingContext, written: readonly OutboxEventRecord[]): Promise<void> {
  if (written.length === 0 || !ctx.config.outbox.deliverInProcess) return;
  const ids = written.map((event) => event.id);
  const workspaceIds = [
    ...new Set(written.flatMap((event) => (event.workspaceId === null ? [] : [event.workspaceId]))),
  ];
  try {
    // Bounded: each pass delivers or defers what it claims, and a deferred event is not claimable again
    // until the older one that failed is due.
    for (let pass = 0; pass < 10; pass += 1) {
      const result = await deliverClaimed(ctx, { ids, workspaceIds, limit: Math.max(ids.length, 20) });
      if (result.claimed === 0 || result.claimed === result.deferred) break;
    }
  } catch (error) {
    ctx.logger.warn(
      { eventIds: ids, err: error instanceof Error ? error.message : String(error) },
      'billing events were written but not delivered now; dispatchEvents() delivers them',
    );
  }
}

/** Delivers up to `limit` due events (left behind by a crash, retries), in order per workspace. */
export async function dispatchEvents(ctx: BillingContext, options: { limit?: number } = {}): Promise<DispatchResult> {
  const limit = options.limit ?? 100;
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new BillingError('INVALID_INPUT', 'dispatchEvents: limit must be a positive integer.');
  return deliverClaimed(ctx, { limit });
}

/** Dead-lettered events, most recent first (for operators). */
export async function listDeadEvents(
  ctx: BillingContext,
  options: { limit?: number } = {},
): Promise<OutboxEventRecord[]> {
  const limit = options.limit ?? 50;
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new BillingError('INVALID_INPUT', 'listDeadEvents: limit must be a positive integer.');
  return ctx.store.transaction(SYSTEM, (tx) => tx.outbox.listDead({ limit }));
}

/** Makes a dead event pending again (attempts from zero); the next dispatch delivers it. */
export async function replayEvent(ctx: BillingContext, eventId: string): Promise<OutboxEventRecord> {
  if (typeof eventId !== 'string' || eventId.length === 0)
    throw new BillingError('INVALID_INPUT', 'replayEvent: eventId must be a non-empty string.');
  const now = ctx.clock.now();
  return ctx.store.transaction(SYSTEM, async (tx) => {
    const replayed = await tx.outbox.replay(eventId, now);
    if (replayed) return replayed;
    const found = await tx.outbox.get(eventId);
    throw new BillingError(
      'INVALID_INPUT',
      found
        ? `Event ${eventId} is ${found.status}, not dead: only a dead event is replayed.`
        : `There is no billing event ${eventId}.`,
      { details: { eventId } },
    );
  });
}

/** How many events are pending, due, dead and delivered, and the oldest pending one's time. */
export function eventCounts(ctx: BillingContext): Promise<OutboxCounts> {
  const now = ctx.clock.now();
  return ctx.store.transaction(SYSTEM, (tx) => tx.outbox.counts({ now }));
}

/** Claims (all due, or `ids`), delivers in `sequence` order, and records each attempt. */
async function deliverClaimed(
  ctx: BillingContext,
  query: { limit: number; ids?: readonly string[]; workspaceIds?: readonly string[] },
): Promise<DispatchResult> {
  const { leaseMs } = ctx.config.outbox;
  const workerId = ctx.ids('dsp');
  const claimedAt = ctx.clock.now();
  const claimed = await ctx.store.transaction(SYSTEM, (tx) =>
    tx.outbox.claim({
      now: claimedAt,
      limit: query.limit,
      workerId,
      leaseMs,
      ...(query.ids ? { ids: query.ids } : {}),
      ...(query.workspaceIds ? { workspaceIds: query.workspaceIds } : {}),
    }),
  );
  const result: DispatchResult = { claimed: claimed.length, delivered: 0, retried: 0, dead: 0, deferred: 0 };
  // Workspaces whose older event failed in this pass: their later events are given back untried.
  const blocked = new Set<string>();
  // The events of this pass not yet finished or released: their leases are renewed while hooks run, so a
  // slow hook (or a long queue of them) does not let another process claim and deliver them meanwhile.
  const held = new Set(claimed.map((event) => event.id));
  const stopRenewing = renewLeases(ctx, held, workerId, leaseMs);
  try {
    for (const event of claimed) {
      await deliverOne(ctx, event, workerId, blocked, result);
      held.delete(event.id);
    }
  } finally {
    stopRenewing();
  }
  return result;
}

/** Renews, every third of the lease, the leases of `held` (until the returned stop is called). */
function renewLeases(ctx: BillingContext, held: ReadonlySet<string>, workerId: string, leaseMs: number): () => void {
  let renewing = false;
  const timer = setInterval(
    () => {
      if (renewing || held.size === 0) return;
      renewing = true;
      const lockedUntil = ctx.clock.now() + leaseMs;
      ctx.store
        .transaction(SYSTEM, (tx) => tx.outbox.renew({ ids: [...held], workerId, lockedUntil }))
        .catch((error: unknown) =>
          ctx.logger.warn(
            { eventIds: [...held], err: error instanceof Error ? error.message : String(error) },
            'billing events: the delivery lease could not be renewed; another process may deliver them once it ends',
          ),
        )
        .finally(() => {
          renewing = false;
        });
    },
    Math.max(Math.floor(leaseMs / 3), 1),
  );
  timer.unref?.();
  return () => clearInterval(timer);
}

/** Delivers one claimed event (or gives it back when its workspace is blocked) and records the attempt. */
async function deliverOne(
  ctx: BillingContext,
  event: OutboxEventRecord,
  workerId: string,
  blocked: Set<string>,
  result: DispatchResult,
): Promise<void> {
  const { maxAttempts } = ctx.config.outbox;
  if (event.workspaceId !== null && blocked.has(event.workspaceId)) {
    await ctx.store.transaction(SYSTEM, (tx) => tx.outbox.release(event.id, workerId));
    result.deferred += 1;
    return;
  }
  const error = await callHook(ctx, event);
  const now = ctx.clock.now();
  if (error === null) {
    await ctx.store.transaction(SYSTEM, (tx) =>
      tx.outbox.finish({ id: event.id, workerId, now, outcome: { delivered: true } }),
    );
    result.delivered += 1;
    return;
  }
  const retryAt = event.attempts >= maxAttempts ? null : now + backoffMs(ctx, event.attempts);
  // A dead event no longer holds its workspace back; one to retry does.
  if (event.workspaceId !== null && retryAt !== null) blocked.add(event.workspaceId);
  await ctx.store.transaction(SYSTEM, (tx) =>
    tx.outbox.finish({ id: event.id, workerId, now, outcome: { delivered: false, error, retryAt } }),
  );
  if (retryAt === null) result.dead += 1;
  else result.retried += 1;
  ctx.logger.error(
    { hook: event.event, eventId: event.id, attempt: event.attempts, maxAttempts, err: error },
    retryAt === null
      ? `billing hook ${event.event} failed its last attempt; the event is dead (listDeadEvents / replayEvent); billing state is unaffected`
      : `billing hook ${event.event} failed; retried later; billing state is unaffected`,
  );
}

/** Calls the event's hook with its payload and `eventId`; returns the failure's message, or null. */
async function callHook(ctx: BillingContext, event: OutboxEventRecord): Promise<string | null> {
  const hook = ctx.hooks[event.event as HookName] as ((event: unknown) => void | Promise<void>) | undefined;
  if (!hook) return null;
  try {
    await hook({ ...event.payload, eventId: event.id });
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Cut first, then clean: a cut inside a surrogate pair leaves half a character, which no store holds.
    return storableCut(message || 'the hook failed', MAX_ERROR_LENGTH);
  }
}

/** The wait after `attempts` failed attempts: the base, doubled per further failure, capped. */
function backoffMs(ctx: BillingContext, attempts: number): number {
  const { backoffBaseMs, maxBackoffMs } = ctx.config.outbox;
  return Math.min(backoffBaseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30), maxBackoffMs);
}

/** The workspace an event is about: its record's, or the one it names; `null` when it names none. */
export function eventWorkspaceId(event: Record<string, unknown>): string | null {
  for (const key of ['payment', 'subscription', 'refund'] as const) {
    const record = event[key] as { workspaceId?: unknown } | null | undefined;
    if (record && typeof record.workspaceId === 'string') return record.workspaceId;
  }
  return typeof event.workspaceId === 'string' ? event.workspaceId : null;
}

/**
 * The event as the JSON the outbox stores. Its records were stored already; a message that came from
 * elsewhere (an anomaly's detail) could hold a NUL or a lone surrogate, which no store holds: replaced,
 * so that an event never makes the transaction of the change it reports fail.
 */
function storablePayload(event: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(event, (_key, value) => (typeof value === 'string' ? storableText(value) : value)));
}
