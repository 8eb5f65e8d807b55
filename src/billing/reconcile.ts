import { OPEN_PAYMENT_STATES, type PaymentRecord, type RefundRecord } from '../storage/records.js';
import { type BillingContext, inTransaction, notify, SYSTEM_SCOPE } from './billing-context.js';
import { isBillingError } from './errors.js';
import { refreshRefund } from './refunds.js';
import { refreshPayment } from './settlement.js';

/**
 * PhonePe's mandatory polling schedule for a PENDING order (docs/phonepe-protocol.md#order-status, UAT checklist): first
 * check 20–25 s after the order started, then every 3 s for 30 s, every 6 s for 60 s, every 10 s for
 * 60 s, every 30 s for 60 s, then every 60 s until it is terminal or expired. Returns how long to wait
 * after a check made when the order was `ageMs` old, or `null` when no check is due yet (first check).
 */
export function pollIntervalMs(ageMs: number): number {
  if (ageMs < 50_000) return 3_000;
  if (ageMs < 110_000) return 6_000;
  if (ageMs < 170_000) return 10_000;
  if (ageMs < 230_000) return 30_000;
  return 60_000;
}

/** The first check comes 20 s after the order started. */
export const FIRST_CHECK_AFTER_MS = 20_000;

/** Autopay debits live for days (24 h notice, 48 h execution): they are checked at most this often. */
export const DEBIT_POLL_INTERVAL_MS = 15 * 60 * 1000;

/**
 * Whether an order created at `createdAt` and last checked at `lastCheckedAt` is due for a status check
 * at `now` under the schedule above.
 *
 * @example
 * isCheckDue({ createdAt: 0, lastCheckedAt: null, now: 21_000 }); // true
 */
export function isCheckDue(input: {
  createdAt: number;
  lastCheckedAt: number | null;
  now: number;
  longLived?: boolean;
}): boolean {
  const age = input.now - input.createdAt;
  if (age < FIRST_CHECK_AFTER_MS) return false;
  if (input.lastCheckedAt === null) return true;
  const interval = input.longLived ? DEBIT_POLL_INTERVAL_MS : pollIntervalMs(input.lastCheckedAt - input.createdAt);
  return input.now - input.lastCheckedAt >= interval;
}

/** Options of `reconcile`. */
export interface ReconcileOptions {
  /** Only rows created at least this long ago. @default 20000 (PhonePe's first check is 20–25 s after start) */
  olderThanMs?: number;
  /** Most payments and most refunds to look at in this run. @default 100 */
  limit?: number;
  /** Called after each row with its result and how far the run is (for a progress display). */
  onItem?: (item: ReconcileItemResult, progress: { done: number; total: number }) => void;
}

/** One row's result in `reconcile`. */
export interface ReconcileItemResult {
  kind: 'payment' | 'refund';
  /** The merchant order id or merchant refund id. */
  id: string;
  workspaceId: string;
  before: string;
  after: string;
  outcome: 'settled' | 'unchanged' | 'skipped' | 'error';
  detail: string;
  error?: { code: string; message: string };
}

/** What one `reconcile()` pass did: the counts, and one item per payment or refund it looked at. */
export interface ReconcileResult {
  checked: number;
  settled: number;
  skipped: number;
  errors: number;
  items: ReconcileItemResult[];
}

const ACTOR = 'system:reconcile';

/**
 * Repairs what webhooks missed: payments still `created`/`pending` and refunds still `pending`/`confirmed`
 * are checked against PhonePe on its documented polling schedule and settled through the same state
 * machine as webhooks (so a lost webhook, a crash between our write and PhonePe's answer, or an order
 * nobody paid all end in the right state). Failures are reported per item.
 */
export async function reconcile(ctx: BillingContext, options: ReconcileOptions = {}): Promise<ReconcileResult> {
  const now = ctx.clock.now();
  const olderThan = now - (options.olderThanMs ?? 20_000);
  const limit = options.limit ?? 100;
  const [payments, refunds] = await inTransaction(
    ctx,
    SYSTEM_SCOPE,
    async (tx) =>
      [
        await tx.payments.listStale({ states: OPEN_PAYMENT_STATES, olderThan, limit }),
        await tx.refunds.listStale({ states: ['pending', 'confirmed'], olderThan, limit }),
      ] as const,
  );
  const items: ReconcileItemResult[] = [];
  const total = payments.length + refunds.length;
  const done = (item: ReconcileItemResult) => {
    items.push(item);
    notify(ctx, () => options.onItem?.(item, { done: items.length, total }));
  };
  for (const payment of payments) done(await reconcilePayment(ctx, payment, now));
  for (const refund of refunds) done(await reconcileRefund(ctx, refund));
  const count = (outcome: ReconcileItemResult['outcome']) => items.filter((i) => i.outcome === outcome).length;
  return {
    checked: items.length - count('skipped'),
    settled: count('settled'),
    skipped: count('skipped'),
    errors: count('error'),
    items,
  };
}

async function reconcilePayment(
  ctx: BillingContext,
  payment: PaymentRecord,
  now: number,
): Promise<ReconcileItemResult> {
  const base = {
    kind: 'payment' as const,
    id: payment.merchantOrderId,
    workspaceId: payment.workspaceId,
    before: payment.state,
  };
  if (
    !isCheckDue({
      createdAt: payment.createdAt,
      lastCheckedAt: payment.lastCheckedAt,
      now,
      longLived: payment.method === 'autopay_redemption',
    })
  ) {
    return { ...base, after: payment.state, outcome: 'skipped', detail: 'not due for a check yet' };
  }
  try {
    const result = await refreshPayment(ctx, SYSTEM_SCOPE, payment.merchantOrderId, {
      source: 'reconcile',
      actor: ACTOR,
    });
    const after = result.payment?.state ?? payment.state;
    return {
      ...base,
      after,
      outcome: after !== payment.state ? 'settled' : 'unchanged',
      detail: result.reason ?? result.outcome,
    };
  } catch (error) {
    return { ...base, after: payment.state, ...failure(error) };
  } finally {
    // Checked (or tried): to the back of the queue, so one row that keeps failing cannot starve the rest.
    await inTransaction(ctx, SYSTEM_SCOPE, (tx) =>
      tx.payments.update(payment.id, { lastCheckedAt: ctx.clock.now() }, ctx.clock.now()),
    ).catch(() => undefined);
  }
}

async function reconcileRefund(ctx: BillingContext, refund: RefundRecord): Promise<ReconcileItemResult> {
  const base = {
    kind: 'refund' as const,
    id: refund.merchantRefundId,
    workspaceId: refund.workspaceId,
    before: refund.state,
  };
  try {
    const updated = await refreshRefund(ctx, refund, ACTOR);
    return {
      ...base,
      after: updated.state,
      outcome: updated.state !== refund.state ? 'settled' : 'unchanged',
      detail: `refund is ${updated.state}`,
    };
  } catch (error) {
    return { ...base, after: refund.state, ...failure(error) };
  }
}

function failure(error: unknown): { outcome: 'error'; detail: string; error: { code: string; message: string } } {
  const message = error instanceof Error ? error.message : String(error);
  const code = isBillingError(error) ? error.code : error instanceof Error ? error.name : 'ERROR';
  return { outcome: 'error', detail: message, error: { code, message } };
}
