import { escapeHelp, formatLabels, formatSampleValue, LABEL_NAME, METRIC_NAME } from './prometheus-text.js';

/** Label values of one series, by label name (every declared label, no other). */
export type Labels<L extends string> = Readonly<Record<L, string>>;

/** A sample a scrape-time gauge reports. */
export interface GaugeSample<L extends string> {
  labels: Labels<L>;
  value: number;
}

interface FamilyOptions<L extends string> {
  /** `[a-zA-Z_:][a-zA-Z0-9_:]*`; counters end in `_total`. */
  name: string;
  help: string;
  labelNames: readonly L[];
}

/**
 * The most series one family keeps. Callers bound every label (docs/production.md#metrics); this is the
 * safety net should one slip: past it, samples are counted in one series whose labels all read `other`,
 * so a runaway label costs one series, never the process's memory or the scraper's.
 */
export const MAX_SERIES_PER_FAMILY = 500;
const OVERFLOW = 'other';

function checkNames(name: string, labelNames: readonly string[]): void {
  if (!METRIC_NAME.test(name)) throw new TypeError(`metric name "${name}" is not a Prometheus metric name`);
  for (const label of labelNames)
    if (!LABEL_NAME.test(label) || label.startsWith('__') || label === 'le')
      throw new TypeError(`label "${label}" of ${name} is not a label name this registry accepts`);
}

/** The series of one family, keyed by its label values in declared order. */
class SeriesTable<L extends string, S> {
  readonly #rows = new Map<string, { values: string[]; state: S }>();
  constructor(
    readonly labelNames: readonly L[],
    private readonly fresh: () => S,
  ) {}

  get(labels: Labels<L>): S {
    let values = this.labelNames.map((name) => String(labels[name] ?? ''));
    let key = JSON.stringify(values);
    if (!this.#rows.has(key) && this.#rows.size >= MAX_SERIES_PER_FAMILY) {
      values = this.labelNames.map(() => OVERFLOW);
      key = JSON.stringify(values);
    }
    let row = this.#rows.get(key);
    if (!row) {
      row = { values, state: this.fresh() };
      this.#rows.set(key, row);
    }
    return row.state;
  }

  /** Rows in a stable order (by label values), so two scrapes list series alike. */
  rows(): Array<{ labels: Array<[string, string]>; state: S }> {
    return [...this.#rows.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, row]) => ({
        labels: this.labelNames.map((name, i) => [name, row.values[i] as string] as [string, string]),
        state: row.state,
      }));
  }

  get size(): number {
    return this.#rows.size;
  }
}

/** A monotonically increasing count (`_total`). */
export class Counter<L extends string> {
  readonly #series: SeriesTable<L, { value: number }>;
  constructor(readonly options: FamilyOptions<L>) {
    checkNames(options.name, options.labelNames);
    if (!options.name.endsWith('_total')) throw new TypeError(`counter ${options.name} must end in _total`);
    this.#series = new SeriesTable(options.labelNames, () => ({ value: 0 }));
  }

  inc(labels: Labels<L>, by = 1): void {
    if (!(by >= 0) || !Number.isFinite(by)) return;
    this.#series.get(labels).value += by;
  }

  /** The series held (for tests of the bounds). */
  get seriesCount(): number {
    return this.#series.size;
  }

  render(): string[] {
    const { name, help } = this.options;
    return [
      `# HELP ${name} ${escapeHelp(help)}`,
      `# TYPE ${name} counter`,
      ...this.#series.rows().map((row) => `${name}${formatLabels(row.labels)} ${formatSampleValue(row.state.value)}`),
    ];
  }
}

/** Observations counted into cumulative buckets (`_bucket{le}`, `_sum`, `_count`). */
export class Histogram<L extends string> {
  readonly #series: SeriesTable<L, { counts: number[]; sum: number; count: number }>;
  readonly buckets: readonly number[];
  constructor(readonly options: FamilyOptions<L> & { buckets: readonly number[] }) {
    checkNames(options.name, options.labelNames);
    const buckets = [...options.buckets].filter((b) => Number.isFinite(b)).sort((a, b) => a - b);
    if (buckets.length === 0 || new Set(buckets).size !== buckets.length)
      throw new TypeError(`histogram ${options.name} needs distinct finite buckets`);
    this.buckets = buckets;
    this.#series = new SeriesTable(options.labelNames, () => ({
      counts: buckets.map(() => 0),
      sum: 0,
      count: 0,
    }));
  }

  observe(labels: Labels<L>, value: number): void {
    if (!Number.isFinite(value)) return;
    const series = this.#series.get(labels);
    // Each observation is counted in its own bucket only; render() adds them up, so buckets are cumulative.
    const index = this.buckets.findIndex((upper) => value <= upper);
    if (index >= 0) series.counts[index] = (series.counts[index] ?? 0) + 1;
    series.sum += value;
    series.count += 1;
  }

  get seriesCount(): number {
    return this.#series.size;
  }

  render(): string[] {
    const { name, help } = this.options;
    const lines = [`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} histogram`];
    for (const row of this.#series.rows()) {
      let cumulative = 0;
      this.buckets.forEach((upper, i) => {
        cumulative += row.state.counts[i] ?? 0;
        lines.push(`${name}_bucket${formatLabels([...row.labels, ['le', formatSampleValue(upper)]])} ${cumulative}`);
      });
      lines.push(`${name}_bucket${formatLabels([...row.labels, ['le', '+Inf']])} ${row.state.count}`);
      lines.push(`${name}_sum${formatLabels(row.labels)} ${formatSampleValue(row.state.sum)}`);
      lines.push(`${name}_count${formatLabels(row.labels)} ${row.state.count}`);
    }
    return lines;
  }
}

/**
 * A gauge read at scrape time from a callback (e.g. rows in a state, counted by one store query). The
 * callback may fail: the gauge is then left out of that scrape and `onError` is told.
 */
export class CallbackGauge<L extends string> {
  constructor(readonly options: FamilyOptions<L> & { collect: () => Promise<ReadonlyArray<GaugeSample<L>>> }) {
    checkNames(options.name, options.labelNames);
  }

  async render(): Promise<string[]> {
    const { name, help, labelNames } = this.options;
    const samples = (await this.options.collect()).slice(0, MAX_SERIES_PER_FAMILY);
    return [
      `# HELP ${name} ${escapeHelp(help)}`,
      `# TYPE ${name} gauge`,
      ...samples.map(
        (s) =>
          `${name}${formatLabels(labelNames.map((l) => [l, String(s.labels[l] ?? '')] as [string, string]))} ${formatSampleValue(s.value)}`,
      ),
    ];
  }
}

type Family = Counter<string> | Histogram<string> | CallbackGauge<string>;

/**
 * The metrics of one `SubscriptionManager` (no global state: two managers in one process keep two
 * registries). Counters and histograms are updated as billing works; callback gauges are read when
 * scraped. `expose()` renders them all in the Prometheus text format 0.0.4.
 *
 * @example
 * const registry = new MetricsRegistry();
 * const calls = registry.counter({ name: 'x_calls_total', help: 'Calls.', labelNames: ['outcome'] });
 * calls.inc({ outcome: 'ok' });
 * registry.gauge({ name: 'x_queue_depth', help: 'Queued.', labelNames: [], collect: async () => [{ labels: {}, value: 3 }] });
 * await registry.expose();
 */
export class MetricsRegistry {
  readonly #families = new Map<string, Family>();

  constructor(private readonly onError: (family: string, error: unknown) => void = () => {}) {}

  counter<L extends string>(options: FamilyOptions<L>): Counter<L> {
    return this.#add(new Counter(options));
  }

  histogram<L extends string>(options: FamilyOptions<L> & { buckets: readonly number[] }): Histogram<L> {
    return this.#add(new Histogram(options));
  }

  /** A gauge whose samples `collect` reads at each scrape. */
  gauge<L extends string>(
    options: FamilyOptions<L> & { collect: () => Promise<ReadonlyArray<GaugeSample<L>>> },
  ): CallbackGauge<L> {
    return this.#add(new CallbackGauge(options));
  }

  /** Every family in the text format 0.0.4, in the order they were added; callback gauges read now, together. */
  async expose(): Promise<string> {
    const families = [...this.#families.values()];
    const rendered = await Promise.all(
      families.map(async (family) => {
        if (!(family instanceof CallbackGauge)) return family.render();
        try {
          return await family.render();
        } catch (error) {
          this.onError(family.options.name, error);
          return [];
        }
      }),
    );
    const lines = rendered.flat();
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  }

  #add<F extends Family>(family: F): F {
    const name = family.options.name;
    if (this.#families.has(name)) throw new TypeError(`metric ${name} is registered twice`);
    this.#families.set(name, family as unknown as Family);
    return family;
  }
}
