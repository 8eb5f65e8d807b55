import { spread, type Spread } from './stats.js';

/** One measured quantity: a function that runs once and returns its value (a rate, a time, a size…). */
export type Measure = () => Promise<number>;

/** What {@link alternate} saw: every variant's samples, in round order. */
export type RoundSamples<K extends string> = Record<K, number[]>;

/**
 * Runs each variant once per round, alternating the order (A B C, then C B A, …) so that drift in the
 * machine's load (other jobs share these two cores) falls on every variant alike. A warm-up run of
 * each variant comes first and is not kept (JIT, connection pools, token caches).
 */
export async function alternate<K extends string>(
  variants: Record<K, Measure>,
  rounds: number,
  options: { warmup?: boolean } = {},
): Promise<RoundSamples<K>> {
  const names = Object.keys(variants) as K[];
  if (options.warmup !== false) for (const name of names) await variants[name]();
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as RoundSamples<K>;
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) samples[name].push(await variants[name]());
  }
  return samples;
}

/** Ratios of paired samples (round by round), so each ratio compares runs made moments apart. */
export function pairedRatios(ours: readonly number[], anchor: readonly number[]): Spread {
  return spread(ours.map((value, i) => value / (anchor[i] as number)));
}
