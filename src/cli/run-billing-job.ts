import { parseCliArgs } from './parse-cli-args.js';
import { isConfigError } from '../config/config-error.js';
import { BILLING_FLAGS, openBilling, stderrLogger, type OpenedBilling } from './open-billing.js';

type ExtraOptions = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/**
 * Parses a billing job's flags (the shared ones plus `extra`), opens the manager, runs `job`, and maps
 * failures to exit codes: 2 for bad usage or configuration, 1 when the job could not run or reported
 * failures, 0 otherwise. Nothing secret is printed.
 */
export async function runBillingJob(
  name: string,
  usage: string,
  argv: readonly string[],
  extra: ExtraOptions,
  job: (opened: OpenedBilling, values: Record<string, string | boolean | undefined>) => Promise<number>,
): Promise<number> {
  const parsed = parseCliArgs(name, usage, argv, { ...BILLING_FLAGS, ...extra });
  if ('exitCode' in parsed) return parsed.exitCode;
  const values = parsed.values;
  let opened: OpenedBilling;
  try {
    opened = await openBilling(values as Record<string, string>, stderrLogger);
  } catch (error) {
    process.stderr.write(`phonepe-billing ${name}: ${(error as Error).message}\n`);
    return isConfigError(error) || /no database given/.test((error as Error).message) ? 2 : 1;
  }
  try {
    return await job(opened, values);
  } catch (error) {
    process.stderr.write(`phonepe-billing ${name}: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await opened.close();
  }
}

/** A positive whole number from a flag, or the default. */
export function intFlag(value: string | boolean | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got "${String(value)}".`);
  return n;
}
