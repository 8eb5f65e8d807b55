/** What the renewal worker did to one subscription. */
export const RENEWAL_ACTIONS = [
  'none',
  'reminded',
  'notified',
  'checked',
  'executed',
  'waiting',
  'renewed',
  'past_due',
  'expired',
  'ended',
  'switched_to_manual',
  'error',
] as const;
export type RenewalAction = (typeof RENEWAL_ACTIONS)[number];

/** One subscription's result in `runRenewals` (batch work never stops at the first failure). */
export interface RenewalItemResult {
  subscriptionId: string;
  workspaceId: string;
  action: RenewalAction;
  detail: string;
  /** When the worker will look at it again (`null`: nothing scheduled). */
  nextActionAt: number | null;
  error?: { code: string; message: string };
}

/** The summary `runRenewals` returns. */
export interface RenewalRunResult {
  workerId: string;
  claimed: number;
  items: RenewalItemResult[];
  /** Count per action. */
  summary: Partial<Record<RenewalAction, number>>;
}
