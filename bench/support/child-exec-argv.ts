/**
 * Node flags for the bench's child processes (renewal workers, the webhook host, the heap probe):
 * tsx to run TypeScript, plus `--cpu-prof` into `$BENCH_CPU_PROF_DIR` when that is set (Node refuses
 * --cpu-prof in NODE_OPTIONS, so children are profiled this way).
 */
export function childExecArgv(extra: string[] = []): string[] {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  return [...extra, '--import', 'tsx', ...(dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [])];
}
