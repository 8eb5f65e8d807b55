import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { createPgliteStore } from '../../../src/storage/kysely/index.js';
import { aPlan, SYSTEM } from '../conformance/fixtures.js';
import { MIGRATION_NAMES } from '../../support/migration-names.js';
import { emptyPgliteSnapshot } from '../support/pglite-snapshot.js';

const tmp = resolve(import.meta.dirname, '../../../.tmp');
mkdirSync(tmp, { recursive: true });
const dataDir = mkdtempSync(join(tmp, 'pglite-data-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('keeps data in dataDir across close and reopen, migrating only once', async () => {
  const plan = aPlan();
  // The empty dataDir starts from a cached tarball of initdb's result (initdb takes seconds); the
  // store migrates it on this first open, and not on the second.
  const first = await createPgliteStore({ dataDir, loadDataDir: await emptyPgliteSnapshot() });
  await first.transaction(SYSTEM, (tx) => tx.plans.upsert(plan));
  await first.close();

  const reopened = await createPgliteStore({ dataDir });
  try {
    expect(await reopened.transaction(SYSTEM, (tx) => tx.plans.get(plan.id))).toEqual(plan);
    const applied = await sql<{ count: number }>`select count(*)::int as count from phonepe_billing_migrations`.execute(
      reopened.db,
    );
    expect(applied.rows[0]?.count).toBe(MIGRATION_NAMES.length);
  } finally {
    await reopened.close();
  }
});

it('refuses unknown options, listing the known ones', async () => {
  await expect(createPgliteStore({ datadir: 'x' } as never)).rejects.toThrow(
    /createPgliteStore options: unknown option "datadir"; known options: dataDir, loadDataDir, migrate/,
  );
});
