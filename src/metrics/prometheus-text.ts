/**
 * Prometheus text exposition format 0.0.4, as a scraper reads it
 * (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format): one `# HELP` and one
 * `# TYPE` line per family, then its samples, `name{label="value",…} value`, one a line, ending in `\n`.
 */

/** The `content-type` of a 0.0.4 text exposition. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** A HELP text: backslash and line feed escaped (`\\`, `\n`), as the format asks. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A label value: backslash, double quote and line feed escaped (`\\`, `\"`, `\n`), as the format asks. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** A sample value as Go's ParseFloat reads it: `+Inf`, `-Inf`, `NaN`, or the number. */
export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** `{a="1",b="2"}` for the labels in the order given (nothing for none). */
export function formatLabels(labels: ReadonlyArray<readonly [string, string]>): string {
  if (labels.length === 0) return '';
  return `{${labels.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`;
}

/** Metric and label names the format accepts (label names starting `__` are Prometheus's own). */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
