import { migratedPgliteSnapshot } from '../storage/support/pglite-snapshot.js';
import { ensureMigratedTemplate } from './migrated-template.js';

/**
 * vitest globalSetup: builds, once per run and before any worker starts, what test files copy
 * instead of migrating for themselves — the migrated PostgreSQL template database (when
 * DATABASE_URL is set) and the migrated PGlite snapshot. Both are kept under the migrations'
 * checksum, so later runs reuse them and a changed migration builds new ones.
 */
export default async function setup(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  // A server that cannot be reached fails the tests that need it (they build the template themselves
  // when it is missing), not the whole run.
  await Promise.all([
    migratedPgliteSnapshot(),
    databaseUrl ? ensureMigratedTemplate(databaseUrl).catch(() => undefined) : undefined,
  ]);
}
