import { existsSync } from 'node:fs';

/**
 * Which real dependencies this test run has. A test that needs one and does not find it is
 * skipped with a printed reason — except under CI (`CI=true`), where a missing dependency fails
 * the run: CI must never pass by skipping the real-PostgreSQL or browser tests.
 */
export const isCi = process.env.CI === 'true' || process.env.CI === '1';

/** The real PostgreSQL server the suite uses (owner role; migrations run as it), if any. */
export const databaseUrl: string | undefined = process.env.DATABASE_URL || undefined;

/** A non-owner, non-superuser role on the same database, for row-level-security tests. */
export const databaseAppUrl: string | undefined = process.env.DATABASE_APP_URL || undefined;

/** Debian's chromium, used by playwright-core for the browser tests. */
export const chromiumPath: string | undefined = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
]
  .filter((p): p is string => Boolean(p))
  .find((p) => existsSync(p));

/**
 * Returns true when `value` is present. Otherwise prints why the dependent tests are skipped and
 * returns false; under CI it throws instead, failing the file.
 */
export function requireDependency(value: string | undefined, what: string, howToProvide: string): value is string {
  if (value) return true;
  const message = `${what} is not available (${howToProvide}).`;
  if (isCi) throw new Error(`${message} CI must run these tests; refusing to skip them.`);
  process.stderr.write(`[skipped] ${message} Tests that need it are skipped.\n`);
  return false;
}
