import type { Logger } from '../common/logger.js';
import type { PaymentRecord, PlanRecord, RefundRecord, SubscriptionRecord } from '../storage/records.js';

/** Why a subscription ended. */
export type SubscriptionEndReason = 'cancelled' | 'payment_failed' | 'mandate_revoked' | 'trial_ended';

/** Kinds of anomaly the manager reports (and audits) instead of acting on. */
export type AnomalyKind =
  | 'amount_mismatch'
  | 'order_id_mismatch'
  | 'contradicts_terminal'
  | 'payment_corrected'
  | 'duplicate_payment'
  | 'stale_upgrade'
  | 'plan_changed_since_payment'
  | 'unknown_order'
  | 'mandate_cancel_failed'
  | 'late_payment';

/**
 * Callbacks the host registers to react to billing events (send e-mails, update its own records,
 * page someone). Every event is written to the outbox (`billing_outbox`) in the transaction of the
 * change it reports, then delivered after the commit, at least once: a crash before delivery leaves it
 * for `billing.dispatchEvents()`. Each event carries `eventId`: dedupe on it, since an event can arrive
 * twice (a crash after the hook ran, before it was recorded as delivered). Events of one workspace
 * arrive in the order they were written. A hook that throws or rejects is a failed attempt: logged,
 * retried with backoff (`config.outbox`), dead-lettered after the last attempt; it never undoes billing
 * state. Hooks are awaited in order, so keep them quick (enqueue work). See docs/billing.md#hooks.
 *
 * @example
 * const hooks: BillingHooks = {
 *   subscriptionActivated: async ({ subscription }) => mailer.send(subscription.workspaceId, 'welcome'),
 *   quotaWarning: ({ workspaceId, metric, percentage }) => log.info({ workspaceId, metric, percentage }),
 * };
 */
export interface BillingHooks {
  paymentCompleted?(event: { eventId: string; payment: PaymentRecord }): void | Promise<void>;
  paymentFailed?(event: { eventId: string; payment: PaymentRecord }): void | Promise<void>;
  subscriptionActivated?(event: {
    eventId: string;
    subscription: SubscriptionRecord;
    payment: PaymentRecord | null;
  }): void | Promise<void>;
  subscriptionRenewed?(event: {
    eventId: string;
    subscription: SubscriptionRecord;
    payment: PaymentRecord;
  }): void | Promise<void>;
  subscriptionPlanChanged?(event: {
    eventId: string;
    subscription: SubscriptionRecord;
    fromPlanId: string;
    toPlanId: string;
  }): void | Promise<void>;
  subscriptionPastDue?(event: {
    eventId: string;
    subscription: SubscriptionRecord;
    reason: string;
  }): void | Promise<void>;
  subscriptionCancelled?(event: {
    eventId: string;
    subscription: SubscriptionRecord;
    atPeriodEnd: boolean;
    reason: string | null;
  }): void | Promise<void>;
  subscriptionResumed?(event: { eventId: string; subscription: SubscriptionRecord }): void | Promise<void>;
  subscriptionExpired?(event: {
    eventId: string;
    subscription: SubscriptionRecord;
    reason: SubscriptionEndReason;
  }): void | Promise<void>;
  /**
   * A manual-renewal subscription is coming due. Link the e-mail to `billingPageUrl` (your
   * `config.renewal.billingPageUrl`): there `billing.createCheckout` for the same plan renews the period
   * any time until it is paid. `payment` is the renewal checkout created for the period, without its
   * PhonePe link (`paymentUrl` is null here): PhonePe refuses its PayPage opened from an e-mail (no
   * referrer), and the link lives at most an hour (docs/phonepe-protocol.md#paypage).
   */
  renewalReminder?(event: {
    eventId: string;
    subscription: SubscriptionRecord;
    plan: PlanRecord;
    dueAt: number;
    billingPageUrl: string | null;
    payment: PaymentRecord | null;
  }): void | Promise<void>;
  /** Usage crossed a warning threshold (e.g. 80 %) of a limit in this period. */
  quotaWarning?(event: {
    eventId: string;
    workspaceId: string;
    metric: string;
    current: number;
    limit: number;
    percentage: number;
    threshold: number;
  }): void | Promise<void>;
  refundCompleted?(event: { eventId: string; refund: RefundRecord }): void | Promise<void>;
  refundFailed?(event: { eventId: string; refund: RefundRecord }): void | Promise<void>;
  /** Something disagreed with what we stored (tampered amount, contradiction, unknown order). Audited too. */
  anomaly?(event: {
    eventId: string;
    kind: AnomalyKind;
    detail: string;
    workspaceId: string | null;
    subjectId: string | null;
  }): void | Promise<void>;
}

/** The name of a hook (`paymentCompleted`, …). */
export type HookName = keyof BillingHooks;
/** The event a hook receives. */
export type HookEvent<K extends HookName> = Parameters<NonNullable<BillingHooks[K]>>[0];
/** A hook's event as the billing operations queue it: the outbox gives it its `eventId`. */
export type HookPayload<K extends HookName> = Omit<HookEvent<K>, 'eventId'>;

/**
 * Hook events (and internal follow-up work, such as cancelling a replaced mandate at PhonePe) collected
 * while a store transaction runs. The events are written to the outbox inside that transaction
 * (`takeEvents`, by `inTransaction`), so they commit or roll back with it; the follow-ups run only after
 * it commits (`runFollowUps`), and are dropped if it rolls back (the caller simply never runs them).
 */
export class PendingHooks {
  private readonly calls: Array<{ name: HookName; event: Record<string, unknown> }> = [];
  private readonly tasks: Array<{ what: string; run: () => Promise<void> }> = [];

  /** Queues work for after the commit (e.g. a PhonePe call that must not hold a database lock). Failures are logged. */
  afterCommit(what: string, run: () => Promise<void>): void {
    this.tasks.push({ what, run });
  }

  /** Queues a hook event; it is written to the outbox with the transaction. */
  add<K extends HookName>(name: K, event: HookPayload<K>): void {
    this.calls.push({ name, event: event as Record<string, unknown> });
  }

  /** The queued events, in order, emptied (the outbox writes them). */
  takeEvents(): Array<{ name: HookName; event: Record<string, unknown> }> {
    return this.calls.splice(0);
  }

  /** Runs every queued follow-up in order; failures are logged, never thrown. */
  async runFollowUps(logger: Logger): Promise<void> {
    for (const task of this.tasks.splice(0)) {
      try {
        await task.run();
      } catch (error) {
        logger.error(
          { task: task.what, err: error instanceof Error ? error.message : String(error) },
          `billing follow-up "${task.what}" failed`,
        );
      }
    }
  }
}
