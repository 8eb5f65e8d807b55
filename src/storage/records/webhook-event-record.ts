/** Processing status of a received webhook. */
export const WEBHOOK_EVENT_STATUSES = ['received', 'processed', 'failed'] as const;
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
