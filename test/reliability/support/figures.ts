import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FULL } from './reliability-size.js';

/** Where the reliability suite leaves the figures of its last run (RELIABILITY.md is written from them). */
export const FIGURES_DIR = resolve(import.meta.dirname, '../../../.tmp/reliability');

/**
 * Writes what a scenario measured (counts, latency percentiles) as `.tmp/reliability/<scenario>.json`.
 * Figures are recorded, never asserted on time: the machines are shared and noisy.
 */
export function recordFigures(scenario: string, figures: Record<string, unknown>): void {
  mkdirSync(FIGURES_DIR, { recursive: true });
  writeFileSync(
    resolve(FIGURES_DIR, `${scenario}.json`),
    `${JSON.stringify({ scenario, recordedAt: new Date().toISOString(), size: FULL ? 'full' : 'default', ...figures }, null, 2)}\n`,
  );
}
