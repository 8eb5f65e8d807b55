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
 * page someone). Hooks run after the store transaction commits; a hook that throws or rejects is
 * logged and never undoes billing state. Hooks are awaited in order, so keep them quick (enqueue work).
 *
 * @example
 * const hooks: BillingHooks = {
 *   subscriptionActivated: async ({ subscription }) => mailer.send(subscription.workspaceId, 'welcome'),
 *   quotaWarning: ({ workspaceId, metric, percentage }) => log.info({ workspaceId, metric, percentage }),
 * };
 */
export interface BillingHooks {
  paymentCompleted?(event: { payment: PaymentRecord }): void | Promise<void>;
  paymentFailed?(event: { payment: PaymentRecord }): void | Promise<void>;
  subscriptionActivated?(event: {
    subscription: SubscriptionRecord;
    payment: PaymentRecord | null;
  }): void | Promise<void>;
  subscriptionRenewed?(event: { subscription: SubscriptionRecord; payment: PaymentRecord }): void | Promise<void>;
  subscriptionPlanChanged?(event: {
    subscription: SubscriptionRecord;
    fromPlanId: string;
    toPlanId: string;
  }): void | Promise<void>;
  subscriptionPastDue?(event: { subscription: SubscriptionRecord; reason: string }): void | Promise<void>;
  subscriptionCancelled?(event: {
    subscription: SubscriptionRecord;
    atPeriodEnd: boolean;
    reason: string | null;
  }): void | Promise<void>;
  subscriptionResumed?(event: { subscription: SubscriptionRecord }): void | Promise<void>;
  subscriptionExpired?(event: {
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
    subscription: SubscriptionRecord;
    plan: PlanRecord;
    dueAt: number;
    billingPageUrl: string | null;
    payment: PaymentRecord | null;
  }): void | Promise<void>;
  /** Usage crossed a warning threshold (e.g. 80 %) of a limit in this period. */
  quotaWarning?(event: {
    workspaceId: string;
    metric: string;
    current: number;
    limit: number;
    percentage: number;
    threshold: number;
  }): void | Promise<void>;
  refundCompleted?(event: { refund: RefundRecord }): void | Promise<void>;
  refundFailed?(event: { refund: RefundRecord }): void | Promise<void>;
  /** Something disagreed with what we stored (tampered amount, contradiction, unknown order). Audited too. */
  anomaly?(event: {
    kind: AnomalyKind;
    detail: string;
    workspaceId: string | null;
    subjectId: string | null;
  }): void | Promise<void>;
}

type HookName = keyof BillingHooks;
type HookEvent<K extends HookName> = Parameters<NonNullable<BillingHooks[K]>>[0];

/**
 * Hook calls (and internal follow-up work, such as cancelling a replaced mandate at PhonePe) collected
 * while a store transaction runs, carried out only after it commits (`flush`), and dropped if it rolls
 * back (the caller simply never flushes). Follow-ups run first, then hooks, in order.
 */
export class PendingHooks {
  private readonly calls: Array<{ name: HookName; event: unknown }> = [];
  private readonly tasks: Array<{ what: string; run: () => Promise<void> }> = [];

  /** Queues work for after the commit (e.g. a PhonePe call that must not hold a database lock). Failures are logged. */
  afterCommit(what: string, run: () => Promise<void>): void {
    this.tasks.push({ what, run });
  }

  add<K extends HookName>(name: K, event: HookEvent<K>): void {
    this.calls.push({ name, event });
  }

  /** Calls every collected hook in order; failures are logged, never thrown. */
  async flush(hooks: BillingHooks, logger: Logger): Promise<void> {
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
    const calls = this.calls.splice(0);
    for (const { name, event } of calls) {
      const hook = hooks[name] as ((event: unknown) => void | Promise<void>) | undefined;
      if (!hook) continue;
      try {
        await hook(event);
      } catch (error) {
        logger.error(
          { hook: name, err: error instanceof Error ? error.message : String(error) },
          `billing hook ${name} failed; billing state is unaffected`,
        );
      }
    }
  }
}
