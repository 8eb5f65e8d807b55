import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';

/** One sample line as a scraper reads it. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A parsed exposition: its families (name, help, type) and every sample, read by a real Prometheus text parser. */
export interface Exposition {
  families: ParsedFamily[];
  samples: Sample[];
  /** The sum of the samples named `name` whose labels include `labels` (0 when none matches). */
  value(name: string, labels?: Record<string, string>): number;
  /** The samples named `name` whose labels include `labels`. */
  series(name: string, labels?: Record<string, string>): Sample[];
}

const includes = (labels: Record<string, string>, wanted: Record<string, string>) =>
  Object.entries(wanted).every(([key, value]) => labels[key] === value);

/**
 * Parses a text exposition with `parse-prometheus-text-format` (npm). It throws on a line that is not the
 * format. Its histogram output keeps one label set only, so the samples are read from a second pass in which
 * each histogram is declared untyped: its `_bucket`, `_sum` and `_count` lines then come back as they are.
 */
export function parseExposition(text: string): Exposition {
  const families = parsePrometheusTextFormat(text);
  const flat = parsePrometheusTextFormat(text.replace(/^# TYPE (\S+) histogram$/gm, '# TYPE $1 untyped'));
  const samples = flat.flatMap((family) =>
    family.metrics.map((metric) => ({
      name: family.name,
      labels: metric.labels ?? {},
      value: Number(metric.value),
    })),
  );
  const series = (name: string, labels: Record<string, string> = {}) =>
    samples.filter((s) => s.name === name && includes(s.labels, labels));
  return {
    families,
    samples,
    series,
    value: (name, labels = {}) => series(name, labels).reduce((sum, s) => sum + s.value, 0),
  };
}
