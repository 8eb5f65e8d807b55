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
