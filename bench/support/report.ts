import { pairedRatios } from './rounds.js';
import { spread, type Spread } from './stats.js';

/** One line of the results table. `met` is null for a figure without a goal of its own. */
export interface FigureRow {
  /** Stable key (e.g. `client.status.c1.fetch`): profile notes in BENCHMARKS.md are looked up by it. */
  id: string;
  figure: string;
  ours: string;
  anchor: string;
  ratio: string;
  goal: string;
  met: boolean | null;
}

/** What a figure module hands back: its rows, and notes for BENCHMARKS.md (how it was measured). */
export interface FigureResult {
  section: string;
  rows: FigureRow[];
  notes: string[];
}

/** A goal on a number: `≥ 0.85`, `≤ 0.5`, `< 2000`… */
export interface Goal {
  op: '>=' | '<=' | '<' | '>';
  value: number;
  /** How the goal reads in the table, e.g. `≥ 0.85× fetch`. */
  label: string;
}

export const atLeast = (value: number, label = `≥ ${value}×`): Goal => ({ op: '>=', value, label });
export const atMost = (value: number, label = `≤ ${value}×`): Goal => ({ op: '<=', value, label });
export const below = (value: number, label: string): Goal => ({ op: '<', value, label });

export function meets(goal: Goal, value: number): boolean {
  switch (goal.op) {
    case '>=':
      return value >= goal.value;
    case '<=':
      return value <= goal.value;
    case '<':
      return value < goal.value;
    case '>':
      return value > goal.value;
  }
}

/** 12,345 · 123 · 12.3 · 1.23 · 0.123 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString('en-US');
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  if (abs === 0) return '0';
  return value.toPrecision(2);
}

/** `1,234 calls/s (1,100–1,300)`; the range is left out for a single sample. */
export function formatSpread(s: Spread, unit = ''): string {
  const u = unit ? ` ${unit}` : '';
  if (s.samples.length < 2 || s.min === s.max) return `${formatNumber(s.median)}${u}`;
  return `${formatNumber(s.median)}${u} (${formatNumber(s.min)}–${formatNumber(s.max)})`;
}

/** A ratio with three significant digits, so one just under a goal never prints as the goal itself. */
export function formatRatioValue(value: number): string {
  return Math.abs(value) >= 100 ? formatNumber(value) : String(Number(value.toPrecision(3)));
}

export function formatRatio(s: Spread): string {
  if (s.samples.length < 2 || s.min === s.max) return `${formatRatioValue(s.median)}×`;
  return `${formatRatioValue(s.median)}× (${formatRatioValue(s.min)}–${formatRatioValue(s.max)})`;
}

/**
 * A row comparing two sampled quantities of the same unit, paired round by round: the ratio is the
 * median of the per-round ratios `ours / anchor`, with their min–max.
 */
export function pairedRow(input: {
  id: string;
  figure: string;
  unit: string;
  ours: number[];
  anchor: number[];
  anchorName: string;
  goal: Goal | null;
}): FigureRow {
  const ratio = pairedRatios(input.ours, input.anchor);
  return {
    id: input.id,
    figure: input.figure,
    ours: formatSpread(spread(input.ours), input.unit),
    anchor: `${input.anchorName}: ${formatSpread(spread(input.anchor), input.unit)}`,
    ratio: formatRatio(ratio),
    goal: input.goal?.label ?? '—',
    met: input.goal ? meets(input.goal, ratio.median) : null,
  };
}

/** A row for a count or a single value checked against a fixed goal (statements per webhook, p99 ms…). */
export function valueRow(input: {
  id: string;
  figure: string;
  ours: string;
  anchor: string;
  ratio?: string;
  goal: string;
  met: boolean | null;
}): FigureRow {
  return {
    id: input.id,
    figure: input.figure,
    ours: input.ours,
    anchor: input.anchor,
    ratio: input.ratio ?? '—',
    goal: input.goal,
    met: input.met,
  };
}

/** The table as aligned plain text for the terminal. */
export function textTable(rows: readonly FigureRow[]): string {
  const header = ['figure', 'ours', 'anchor', 'ratio', 'goal', 'met'];
  const cells = rows.map((r) => [r.figure, r.ours, r.anchor, r.ratio, r.goal, metMark(r.met)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** The table as Markdown. */
export function markdownTable(rows: readonly FigureRow[]): string {
  const esc = (v: string) => v.replaceAll('|', '\\|');
  return [
    '| figure | ours | anchor | ratio | goal | met |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${[r.figure, r.ours, r.anchor, r.ratio, r.goal, metMark(r.met)].map(esc).join(' | ')} |`),
  ].join('\n');
}

export function metMark(met: boolean | null): string {
  return met === null ? '—' : met ? 'yes' : 'NO';
}
