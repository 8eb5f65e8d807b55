/**
 * Processing status of a received webhook: `received` while it is being processed, `processed` once
 * applied (or a no-op on an already-settled row), `failed` when processing broke (a dependency was down),
 * `unapplied` when it changed nothing (refused, contradicted by PhonePe's status API, not ours). A
 * delivery of a `failed` or `unapplied` event is processed again: only a processed event is a duplicate.
 */
export const WEBHOOK_EVENT_STATUSES = ['received', 'processed', 'failed', 'unapplied'] as const;
/** Where a received webhook stands: received (being processed), processed (applied), failed, or unapplied (it changed nothing; the next delivery is processed again). */
export type WebhookEventStatus = (typeof WEBHOOK_EVENT_STATUSES)[number];

/** A received PhonePe webhook (`webhook_events` table), keyed by its dedupe key (event + id + state). */
export interface WebhookEventRecord {
  dedupeKey: string;
  event: string;
  /** Filled once the event is matched to a workspace; `null` before that. */
  workspaceId: string | null;
  /** The merchant order / refund / subscription id the event is about. */
  subjectId: string | null;
  payload: unknown;
  status: WebhookEventStatus;
  /** How many further times the same event arrived after the first. */
  duplicateCount: number;
  /** Processing attempts (a `failed` event is processed again when PhonePe redelivers it). */
  attempts: number;
  error: string | null;
  outcome: string | null;
  receivedAt: number;
  processedAt: number | null;
}
