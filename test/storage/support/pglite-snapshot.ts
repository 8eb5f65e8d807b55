import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { findMigrationsFolder, migrateToLatest, readMigrationFiles } from '../../../src/storage/kysely/index.js';

const cacheDir = resolve(import.meta.dirname, '../../../.tmp/pglite');
const pgliteVersion: string = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../../node_modules/@electric-sql/pglite/package.json'), 'utf8'),
).version;

/**
 * A freshly initialised PGlite data directory (what `PGlite.create()` makes: no tables), as a
 * tarball for `loadDataDir`. PGlite's initdb takes seconds (over ten on a loaded machine); loading
 * the tarball a fraction of that. Cached in .tmp/ under PGlite's version.
 */
export async function emptyPgliteSnapshot(): Promise<Blob> {
  return cached(`initdb-${pgliteVersion}.tar`, async () => {
    const pglite = await PGlite.create();
    try {
      return await pglite.dumpDataDir('none');
    } finally {
      await pglite.close();
    }
  });
}

/**
 * A PGlite data directory with every migration applied, as a tarball for `loadDataDir`. Cached in
 * .tmp/ under PGlite's version and the migrations' checksum, so test files (in separate processes)
 * build it once and a changed migration builds a new one. Not compressed: loading it is faster.
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
  return cached(`migrated-${pgliteVersion}-${checksum}.tar`, async () => {
    const pglite = await PGlite.create({ loadDataDir: await emptyPgliteSnapshot() });
    const db = new Kysely<any>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ ...createPgConfig(pglite), max: 1 }) }),
    });
    try {
      await migrateToLatest(db);
      return await pglite.dumpDataDir('none');
    } finally {
      await db.destroy();
      await pglite.close();
    }
  });
}

/** Reads `.tmp/pglite/<name>`, building it with `build` first when it is not there. */
async function cached(name: string, build: () => Promise<Blob>): Promise<Blob> {
  const file = join(cacheDir, name);
  if (!existsSync(file)) {
    const dump = await build();
    mkdirSync(cacheDir, { recursive: true });
    // Write then rename: a parallel test file never reads half a snapshot.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
  }
  return new Blob([readFileSync(file)]);
}
