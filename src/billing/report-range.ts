import { z } from 'zod';
import { DAY_MS } from '../storage/report-days.js';
import { BillingError } from './errors.js';

/** The longest range a report covers, in days (`usageReport`, `report`, the HTTP routes and the dashboard). */
export const MAX_REPORT_RANGE_DAYS = 400;

/** A report's range: whole UTC days, `from` included and `to` excluded. */
export interface ReportRange {
  /** Epoch ms of the first day's UTC midnight. */
  from: number;
  /** Epoch ms of the UTC midnight after the last day. */
  to: number;
}

const epochMs = z.number().refine(Number.isSafeInteger, 'must be epoch milliseconds (an integer)');

/** The schema of `{ from, to }` in a report's input. */
export const reportRangeShape = { from: epochMs, to: epochMs };

/**
 * Checks a report range: both ends UTC midnights, `from < to`, at most {@link MAX_REPORT_RANGE_DAYS}
 * days. A mistake is `INVALID_INPUT` naming the method.
 *
 * @example
 * checkReportRange({ from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 11, 1) }, 'report');
 */
export function checkReportRange(range: ReportRange, method: string): { fromDay: number; toDay: number } {
  const refuse = (message: string) =>
    new BillingError('INVALID_INPUT', `${method}: ${message}.`, { details: { fields: [{ field: 'from', message }] } });
  if (range.from % DAY_MS !== 0 || range.to % DAY_MS !== 0)
    throw refuse('from and to must be UTC midnights (reports count whole UTC days; to is excluded)');
  if (range.from < 0) throw refuse('from must not be before 1970-01-01');
  if (range.to <= range.from) throw refuse('to must be after from');
  const days = (range.to - range.from) / DAY_MS;
  if (days > MAX_REPORT_RANGE_DAYS)
    throw refuse(`the range is ${days} days; at most ${MAX_REPORT_RANGE_DAYS} days per report`);
  return { fromDay: range.from / DAY_MS, toDay: range.to / DAY_MS };
}

/** `2026-11-01` for the UTC day number `dayNumber`. */
export function isoDate(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}
