import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { build } from 'tsup';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest, readMigrationFiles } from '../../../src/storage/kysely/index.js';
import { databaseUrl, requireDependency } from '../../support/environment.js';
import { createTestDatabase } from '../support/postgres-database.js';
import { MIGRATION_NAMES } from '../../support/migration-names.js';

const root = resolve(import.meta.dirname, '../../..');
// Inside the repository (under .tmp/), so the built files resolve kysely and zod from its node_modules.
const packageDir = join(root, '.tmp', `kysely-package-${process.pid}`);
afterAll(() => rmSync(packageDir, { recursive: true, force: true }));

describe('the migrations folder of the built package', () => {
  it('is found next to dist/ by the ESM and the CJS build of phonepe-billing/kysely', async () => {
    await build({
      entry: { kysely: 'src/storage/kysely/index.ts' },
      outDir: join(packageDir, 'dist'),
      format: ['esm', 'cjs'],
      platform: 'node',
      target: 'node20',
      shims: true,
      splitting: true,
      dts: false,
      config: false,
      silent: true,
    });
    cpSync(join(root, 'migrations'), join(packageDir, 'migrations'), { recursive: true });
    const esm = (await import(
      pathToFileURL(join(packageDir, 'dist', 'kysely.js')).href
    )) as typeof import('../../../src/storage/kysely/index.js');
    const cjs = createRequire(import.meta.url)(join(packageDir, 'dist', 'kysely.cjs')) as typeof esm;
    expect(esm.findMigrationsFolder()).toBe(join(packageDir, 'migrations'));
    expect(cjs.findMigrationsFolder()).toBe(join(packageDir, 'migrations'));
    expect(esm.readMigrationFiles(esm.findMigrationsFolder()).map((file) => file.name)).toEqual(MIGRATION_NAMES);
  });

  it('is shipped in the npm package', () => {
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }),
    ) as Array<{ files: Array<{ path: string }> }>;
    const paths = packed!.files.map((file) => file.path);
    for (const file of readMigrationFiles(join(root, 'migrations')))
      expect(paths).toContain(`migrations/${file.name}.sql`);
  });
});

const hasPsql = spawnSync('psql', ['--version']).status === 0;
const hasServer = requireDependency(
  databaseUrl,
  'A PostgreSQL server (DATABASE_URL)',
  'set DATABASE_URL=postgres://postgres@127.0.0.1:5432/phonepe_billing_test',
);
const canRunPsql =
  hasServer && requireDependency(hasPsql ? 'psql' : undefined, 'The psql client', 'install postgresql-client');

describe.runIf(canRunPsql)('the migration files as plain SQL', () => {
  it('apply with `psql -f`, in order, to the same schema the migrator creates', async () => {
    const byPsql = await createTestDatabase(databaseUrl!, 'psql');
    const byMigrator = await createTestDatabase(databaseUrl!, 'psqlref');
    const dbs = [byPsql, byMigrator].map(
      (database) =>
        new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url }) }) }),
    );
    try {
      for (const file of readMigrationFiles(join(root, 'migrations'))) {
        execFileSync('psql', [
          '-v',
          'ON_ERROR_STOP=1',
          '--single-transaction',
          '-q',
          '-d',
          byPsql.url,
          '-f',
          join(root, 'migrations', `${file.name}.sql`),
        ]);
      }
      await migrateToLatest(dbs[1]!);
      const [fromPsql, fromMigrator] = await Promise.all(dbs.map(describeSchema));
      expect(fromPsql).toEqual(fromMigrator);
      expect(fromPsql!.policies.length).toBeGreaterThan(7);
    } finally {
      await Promise.all(dbs.map((db) => db.destroy()));
      await Promise.all([byPsql.drop(), byMigrator.drop()]);
    }
  });
});

async function describeSchema(db: Kysely<any>) {
  const columns = await sql`select table_name, column_name, data_type, is_nullable from information_schema.columns
    where table_schema = 'public' and table_name <> 'phonepe_billing_migrations' order by 1, 2`.execute(db);
  const indexes =
    await sql`select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename <> 'phonepe_billing_migrations' order by 1`.execute(
      db,
    );
  const policies =
    await sql`select tablename, policyname, cmd, qual, with_check from pg_policies where schemaname = 'public' order by 1, 2`.execute(
      db,
    );
  const rls =
    await sql`select relname, relrowsecurity, relforcerowsecurity from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' and relname <> 'phonepe_billing_migrations' order by 1`.execute(
      db,
    );
  return { columns: columns.rows, indexes: indexes.rows, policies: policies.rows, rls: rls.rows };
}
