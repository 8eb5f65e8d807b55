import { performance } from 'node:perf_hooks';

/**
 * Calls `task(i, lane)` for i = 0 … total-1 with at most `concurrency` in flight (`lane` says which of
 * them runs it, 0 … concurrency-1); returns the wall time in ms.
 */
export async function runConcurrent(
  total: number,
  concurrency: number,
  task: (i: number, lane: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  const run = async (lane: number) => {
    while (next < total) {
      const i = next;
      next += 1;
      await task(i, lane);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, (_, lane) => run(lane)));
  return performance.now() - started;
}

/** Rate per second of `total` tasks run with `concurrency` in flight. */
export async function ratePerSecond(
  total: number,
  concurrency: number,
  task: (i: number) => Promise<unknown>,
): Promise<number> {
  const ms = await runConcurrent(total, concurrency, task);
  return (total * 1000) / ms;
}
