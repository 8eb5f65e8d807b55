// The orderings of the list queries, written once so the memory store sorts exactly as the SQL
// does (`order by …, id collate "C"`: ties broken by id in code-unit order).

interface Timed {
  id: string;
  createdAt: number;
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Oldest first, ties by id. */
export function oldestFirst(a: Timed, b: Timed): number {
  return a.createdAt - b.createdAt || compareText(a.id, b.id);
}

/** Newest first, ties by id descending. */
export function newestFirst(a: Timed, b: Timed): number {
  return b.createdAt - a.createdAt || compareText(b.id, a.id);
}

/** Never checked first, then least recently checked, then oldest (`listStale`). */
export function leastRecentlyChecked(
  a: Timed & { lastCheckedAt: number | null },
  b: Timed & { lastCheckedAt: number | null },
): number {
  if (a.lastCheckedAt !== b.lastCheckedAt) {
    if (a.lastCheckedAt === null) return -1;
    if (b.lastCheckedAt === null) return 1;
    return a.lastCheckedAt - b.lastCheckedAt;
  }
  return oldestFirst(a, b);
}

/** Soonest `nextActionAt` first (`listDue`, `claimDue`). */
export function soonestDue(
  a: { id: string; nextActionAt: number | null },
  b: { id: string; nextActionAt: number | null },
): number {
  return (a.nextActionAt ?? 0) - (b.nextActionAt ?? 0) || compareText(a.id, b.id);
}
