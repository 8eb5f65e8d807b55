import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The outcome of {@link parseCliArgs}: the flag values, or the exit code to return at once. */
export type ParsedCliArgs<V> = { values: V } | { exitCode: number };

/**
 * Parses a sub-command's flags strictly (unknown flags are an error). `--help` prints the usage and
 * means exit 0; a bad flag prints the error and the usage to stderr and means exit 2.
 *
 * @example
 * const parsed = parseCliArgs('migrate', USAGE, argv, OPTIONS);
 * if ('exitCode' in parsed) return parsed.exitCode;
 */
export function parseCliArgs<O extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  usage: string,
  argv: readonly string[],
  options: O,
): ParsedCliArgs<Record<string, string | boolean | undefined>> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values as Record<
      string,
      string | boolean | undefined
    >;
  } catch (error) {
    process.stderr.write(`phonepe-billing ${command}: ${(error as Error).message}\n\n${usage}`);
    return { exitCode: 2 };
  }
  if (values.help) {
    process.stdout.write(usage);
    return { exitCode: 0 };
  }
  return { values };
}
