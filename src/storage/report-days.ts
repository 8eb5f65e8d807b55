/** Milliseconds in a UTC day (reports count days in UTC: no time zone has a say in the store). */
export const DAY_MS = 86_400_000;

/**
 * The UTC day number of an instant: days since 1970-01-01 UTC (`floor(epochMs / 86_400_000)`, as the
 * SQL's `floor(extract(epoch from t) / 86400)`).
 *
 * @example
 * dayOf(Date.parse('2026-11-02T23:59:59Z')); // 20759
 */
export function dayOf(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS);
}

/**
 * The nearest-rank percentile of sorted values: the value at position ceil(percent × n / 100), in
 * integer arithmetic so the memory store and the SQL pick the same row; `null` for no values.
 *
 * @example
 * nearestRank([10, 20, 30, 40], 50); // 20
 */
export function nearestRank(sorted: readonly number[], percent: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.floor((percent * sorted.length + 99) / 100);
  return sorted[Math.max(rank, 1) - 1] ?? null;
}
