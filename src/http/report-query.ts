import { BillingError } from '../billing/errors.js';
import { MAX_REPORT_RANGE_DAYS } from '../billing/report-range.js';

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A report's range from a query string: whole UTC days, `to` excluded (epoch ms), and the granularity asked. */
export interface ReportQuery<G extends string> {
  from: number;
  to: number;
  granularity: G;
}

/** 400 `INVALID_INPUT` naming the query parameter. */
function invalid(field: string, message: string): BillingError {
  return new BillingError('INVALID_INPUT', `${field}: ${message}.`, { details: { fields: [{ field, message }] } });
}

/** Epoch ms of the UTC midnight of a `YYYY-MM-DD` calendar date, or a 400 for anything else (`2026-02-30` too). */
function utcDate(field: string, value: string): number {
  const match = ISO_DATE.exec(value);
  const at = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== value || at < 0)
    throw invalid(field, 'must be a calendar date like 2026-11-01 (UTC), from 1970 on');
  return at;
}

/**
 * Reads `from`, `to` (both `YYYY-MM-DD`, UTC, both days included) and `granularity` from the query string:
 * every other parameter, a repeated one, a bad date, a reversed range or one longer than
 * {@link MAX_REPORT_RANGE_DAYS} days is a 400. Without dates: the 30 days ending today (UTC).
 *
 * @example
 * parseReportQuery(url, ['day', 'period'], Date.now()); // { from, to, granularity: 'day' }
 */
export function parseReportQuery<G extends string>(
  url: URL,
  granularities: readonly [G, ...G[]],
  now: number,
): ReportQuery<G> {
  const known = ['from', 'to', 'granularity'];
  for (const name of new Set(url.searchParams.keys())) {
    if (!known.includes(name)) throw invalid(name, `unknown query parameter; use ${known.join(', ')}`);
    if (url.searchParams.getAll(name).length > 1) throw invalid(name, 'given more than once');
  }
  const rawGranularity = url.searchParams.get('granularity') ?? granularities[0];
  const granularity = granularities.find((g) => g === rawGranularity);
  if (!granularity) throw invalid('granularity', `must be ${granularities.join(' or ')}`);
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const toParam = url.searchParams.get('to');
  const lastDay = toParam === null ? today : utcDate('to', toParam);
  const fromParam = url.searchParams.get('from');
  const from = fromParam === null ? lastDay - 29 * DAY_MS : utcDate('from', fromParam);
  if (from > lastDay) throw invalid('from', 'must not be after to');
  const days = (lastDay - from) / DAY_MS + 1;
  if (days > MAX_REPORT_RANGE_DAYS)
    throw invalid('to', `the range is ${days} days; at most ${MAX_REPORT_RANGE_DAYS} days per request`);
  return { from: Math.max(from, 0), to: lastDay + DAY_MS, granularity };
}
