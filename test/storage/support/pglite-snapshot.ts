import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { findMigrationsFolder, migrateToLatest, readMigrationFiles } from '../../../src/storage/kysely/index.js';

const cacheDir = resolve(import.meta.dirname, '../../../.tmp/pglite');

/**
 * A PGlite data directory with every migration applied, as a tarball for `loadDataDir`. PGlite's
 * initdb takes seconds; a snapshot loads in a fraction of that. Cached in .tmp/ under the
 * migrations' checksum, so test files (in separate processes) build it once and a changed
 * migration builds a new one.
 */
export async function migratedPgliteSnapshot(): Promise<Blob> {
  const checksum = createHash('sha256')
    .update(
      readMigrationFiles(findMigrationsFolder())
        .map((file) => `${file.name}:${file.checksum}`)
        .join('\n'),
    )
    .digest('hex')
    .slice(0, 16);
  const file = join(cacheDir, `migrated-${checksum}.tar.gz`);
  if (!existsSync(file)) {
    const pglite = await PGlite.create();
    const db = new Kysely<any>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ ...createPgConfig(pglite), max: 1 }) }),
    });
    await migrateToLatest(db);
    const dump = await pglite.dumpDataDir('gzip');
    await db.destroy();
    await pglite.close();
    mkdirSync(cacheDir, { recursive: true });
    // Write then rename: a parallel test file never reads half a snapshot.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
  }
  return new Blob([readFileSync(file)]);
}
