// Loaded with `node --import` into the demo's child processes by test/examples/demo.test.ts: a PGlite
// opened in memory without a data directory to load starts from the cached tarball of initdb's result
// that test/support/global-setup.ts builds (test/storage/support/pglite-snapshot.ts), instead of running
// initdb again (seconds; over ten on a loaded machine). What it loads is exactly what initdb makes: the
// store still migrates it on open. Without the tarball nothing changes.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const root = resolve(import.meta.dirname, '../../..');
const { version } = JSON.parse(readFileSync(resolve(root, 'node_modules/@electric-sql/pglite/package.json'), 'utf8'));
const snapshot = resolve(root, `.tmp/pglite/initdb-${version}.tar`);

if (existsSync(snapshot)) {
  const create = PGlite.create;
  PGlite.create = function createFromSnapshot(dataDir, options) {
    if (dataDir !== undefined || options?.loadDataDir) return create.call(this, dataDir, options);
    return create.call(this, undefined, { ...options, loadDataDir: new Blob([readFileSync(snapshot)]) });
  };
}
