import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migratedPgliteSnapshot } from '../storage/support/pglite-snapshot.js';
import { ensureMigratedTemplate } from './migrated-template.js';

/**
 * vitest globalSetup: builds, once per run and before any worker starts, what test files copy
 * instead of migrating for themselves — the migrated PostgreSQL template database (when
 * DATABASE_URL is set) and the migrated PGlite snapshot. Both are kept under the migrations'
 * checksum, so later runs reuse them and a changed migration builds new ones.
 *
 * It also tags the run (`inject('testRunId')`): the stores the workers keep for their harnesses
 * (test/support/store-pool.ts) live in databases named after the tag, dropped here when the run ends.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const testRunId = randomBytes(3).toString('hex');
  project.provide('testRunId', testRunId);
  // A server that cannot be reached fails the tests that need it (they build the template themselves
  // when it is missing), not the whole run.
  await Promise.all([
    migratedPgliteSnapshot(),
    databaseUrl ? ensureMigratedTemplate(databaseUrl).catch(() => undefined) : undefined,
  ]);
  return async () => {
    if (databaseUrl) await dropRunDatabases(databaseUrl, testRunId).catch(() => undefined);
  };
}

async function dropRunDatabases(databaseUrl: string, testRunId: string): Promise<void> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>('select datname from pg_database where datname like $1', [
      `phonepe_billing_t_${testRunId}_%`,
    ]);
    for (const { datname } of rows) await admin.query(`drop database if exists "${datname}" with (force)`);
  } finally {
    await admin.end();
  }
}
