/** A mistake in how the bench was started (an option, a missing DATABASE_URL): printed without a stack. */
export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

/** How `npm run bench` was asked to run. */
export interface BenchOptions {
  /** Small sizes, fewer rounds: the same figures in under a minute (what CI runs). */
  quick: boolean;
  /** Write BENCHMARKS.md even with --quick. */
  write: boolean;
  /** Run only the figure sections whose name contains one of these (for working on one figure). */
  only: string[];
  /** The command line as typed, for BENCHMARKS.md. */
  command: string;
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const known = new Set(['--quick', '--write']);
  const only: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith('--only=')) only.push(...arg.slice('--only='.length).split(',').filter(Boolean));
    else if (!known.has(arg))
      throw new BenchUsageError(`Unknown option ${arg}; use --quick, --write or --only=<section>[,<section>].`);
  }
  const flags = argv.filter((a) => known.has(a) || a.startsWith('--only='));
  return {
    quick: argv.includes('--quick'),
    write: argv.includes('--write'),
    only,
    command: ['npm run bench', ...(flags.length ? ['--', ...flags] : [])].join(' '),
  };
}

/** `quick` when --quick, else `full`. */
export function size<T>(options: BenchOptions, sizes: { quick: T; full: T }): T {
  return options.quick ? sizes.quick : sizes.full;
}
