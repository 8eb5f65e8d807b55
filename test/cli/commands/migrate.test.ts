import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, requireDependency } from '../../support/environment.js';
import { MIGRATION_NAMES } from '../../support/migration-names.js';
import { createTestDatabase, type TestDatabase } from '../../storage/support/postgres-database.js';

const root = resolve(import.meta.dirname, '../../..');

/**
 * Runs the real command line, as a user would: `tsx src/cli/main.ts migrate …`, in a new node process
 * (with tsx's loader, as test/cli/billing-jobs.test.ts does, rather than through npx, which costs a
 * second node start and a package look-up per call).
 */
function cli(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const environment = { ...process.env, ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete environment[key];
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'migrate', ...args],
      { cwd: root, env: environment },
      (error, stdout, stderr) => {
        done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('phonepe-billing migrate (no server needed)', () => {
  it('exits 2 and explains itself without a database URL', async () => {
    const { code, stderr } = await cli([], { DATABASE_URL: undefined });
    expect(code).toBe(2);
    expect(stderr).toMatch(/pass --database-url or set DATABASE_URL/);
  });

  it('exits 1 when the database cannot be reached, without printing the password', async () => {
    const { code, stderr } = await cli(['--database-url', 'postgres://someone:hunter2@127.0.0.1:1/nowhere']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/127\.0\.0\.1:1\/nowhere: The billing database could not be reached/);
    expect(stderr).not.toMatch(/hunter2|someone/);
  });
});

const hasServer = requireDependency(
  databaseUrl,
  'A PostgreSQL server (DATABASE_URL)',
  'set DATABASE_URL=postgres://postgres@127.0.0.1:5432/phonepe_billing_test',
);

describe.runIf(hasServer)('phonepe-billing migrate on a real server', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(databaseUrl!, 'cli');
  });
  afterAll(async () => database?.drop());

  it('applies the migrations to a fresh database, printing each, then reports it is up to date', async () => {
    const first = await cli(['--database-url', database.url]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe(
      `${MIGRATION_NAMES.map((name) => `applied ${name}\n`).join('')}127.0.0.1:5432/${database.name} is up to date (${MIGRATION_NAMES.length} applied).\n`,
    );
    const again = await cli([], { DATABASE_URL: database.url });
    expect(again).toMatchObject({ code: 0, stdout: `127.0.0.1:5432/${database.name} is already up to date.\n` });
  });
});
