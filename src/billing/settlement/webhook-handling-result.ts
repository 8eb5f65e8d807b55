import type {
  PaymentRecord,
  PaymentState,
  RefundRecord,
  RefundRecordState,
  SubscriptionRecord,
  WebhookEventRecord,
} from '../../storage/records.js';
import type { BillingTransaction } from '../../storage/billing-store.js';
import { type WebhookEvent, webhookSubjectId } from '../../webhooks/webhook-event.js';
import { inTransaction, SYSTEM_SCOPE, type BillingContext } from '../billing-context.js';

/** What `handleWebhook` did with one event. */
export interface WebhookHandlingResult {
  /**
   * - `processed`: applied (or a no-op on a row already in the state it reports);
   * - `duplicate`: already processed, or a copy of a delivery processed at the same moment;
   * - `ignored`: not ours, or an unknown event type;
   * - `refused`: its amount or ids disagree with our records, or PhonePe's status API contradicts it (audited);
   * - `unconfirmed`: it reports a state PhonePe's status API does not show yet — answer non-2xx so PhonePe
   *   delivers it again (the handler answers 503).
   * Only `processed` marks the event done: after any other outcome the next delivery is processed again.
   */
  outcome: 'processed' | 'duplicate' | 'ignored' | 'refused' | 'unconfirmed';
  event: string;
  dedupeKey: string;
  detail: string;
  payment?: PaymentRecord | null;
  refund?: RefundRecord | null;
  subscription?: SubscriptionRecord | null;
}

/** The event name and dedupe key every result of one delivery carries. */
export type WebhookBase = Pick<WebhookHandlingResult, 'event' | 'dedupeKey'>;

/** What `webhookEvents.record` is given for a delivery. */
export function deliveryRecord(ctx: BillingContext, event: WebhookEvent, dedupeKey: string) {
  return {
    dedupeKey,
    event: event.event,
    subjectId: webhookSubjectId(event),
    payload: event.payload,
    now: ctx.clock.now(),
  };
}

/**
 * The answer to a repeat delivery that needs no work, or `null` when it must be processed. Only once an
 * earlier delivery was processed: a redelivery that overlaps a slow (or crashed) first one in another
 * process is processed too — settlement is idempotent, and acknowledging it unprocessed would lose the
 * event if the first then fails. Mandate state changes are always applied: their key (event + id + state)
 * recurs with every pause/unpause cycle, and reading PhonePe's current state is idempotent.
 */
export function settledDuplicate(
  event: WebhookEvent,
  base: WebhookBase,
  recorded: { firstSeen: boolean; retry: boolean; record: WebhookEventRecord },
): WebhookHandlingResult | null {
  if (recorded.firstSeen || recorded.retry || recorded.record.status !== 'processed' || event.kind === 'subscription')
    return null;
  return {
    ...base,
    outcome: 'duplicate',
    detail: `already processed; received ${recorded.record.duplicateCount} time(s) since`,
  };
}

/** Marks the event `processed` when it was applied, else `unapplied` (so a later genuine delivery is not swallowed). */
export async function markOutcome(
  ctx: BillingContext,
  tx: BillingTransaction,
  result: WebhookHandlingResult,
): Promise<void> {
  const workspaceId =
    result.payment?.workspaceId ?? result.refund?.workspaceId ?? result.subscription?.workspaceId ?? null;
  const note = { workspaceId, outcome: `${result.outcome}: ${result.detail}`.slice(0, 500), now: ctx.clock.now() };
  if (result.outcome === 'processed') await tx.webhookEvents.markProcessed(result.dedupeKey, note);
  else await tx.webhookEvents.markUnapplied(result.dedupeKey, note);
}

/**
 * Marks a delivery whose processing failed as `failed`, so the next delivery takes it over. `recording`
 * is given when the failed transaction took the delivery's record with it: it is recorded again first.
 * A failure here is logged, never thrown (the processing error is what the caller reports).
 */
export async function markFailed(
  ctx: BillingContext,
  dedupeKey: string,
  error: unknown,
  recording: ReturnType<typeof deliveryRecord> | null,
): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await inTransaction(ctx, SYSTEM_SCOPE, async (tx) => {
    if (recording) await tx.webhookEvents.record(recording);
    await tx.webhookEvents.markFailed(dedupeKey, {
      workspaceId: null,
      error: message.slice(0, 500),
      now: ctx.clock.now(),
    });
  }).catch((markError: unknown) => {
    ctx.logger.error(
      { dedupeKey, err: markError instanceof Error ? markError.message : String(markError) },
      'could not mark webhook as failed',
    );
  });
}

/**
 * Whether an event's claim was borne out: it reports a final state the row is now in, or no final state
 * at all (an attempt failed, still pending) → `processed`. It reports a final state the row has not
 * reached → `unconfirmed` (PhonePe's status API is behind, or the event is forged: either way it must be
 * delivered again, not swallowed). It reports a final state other than the row's final one → `refused`.
 * States are compared as final outcomes (`null` while open).
 */
export function judgeClaim(claimed: string | null, stored: string | null): 'processed' | 'unconfirmed' | 'refused' {
  if (claimed === null || claimed === stored) return 'processed';
  return stored === null ? 'unconfirmed' : 'refused';
}

/** A payment's or refund's final outcome, or null while open: failed and expired are both "unpaid". */
export function finalOutcome(state: PaymentState | RefundRecordState | null): string | null {
  if (state === 'completed') return 'completed';
  if (state === 'failed' || state === 'expired') return 'unpaid';
  return null;
}
