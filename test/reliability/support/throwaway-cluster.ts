import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './app-process.js';

const run = promisify(execFile);
const CLUSTERS_DIR = resolve(import.meta.dirname, '../../../.tmp/pg-clusters');

/**
 * A PostgreSQL cluster of its own (initdb into `.tmp/pg-clusters/`, its own port), which a test may stop
 * the hard way and start again without touching the shared server. As root it runs as the `postgres` OS
 * user (PostgreSQL refuses to run as root).
 */
export interface ThrowawayCluster {
  /** Superuser URL of the `postgres` database (trust auth, 127.0.0.1 only). */
  adminUrl: string;
  port: number;
  /** `pg_ctl stop -m immediate`: every backend dies at once, as in a crash or a killed container. */
  stopImmediately(): Promise<void>;
  /** `pg_ctl start`, waiting until it accepts connections (crash recovery included). */
  start(): Promise<void>;
  /** Stops it (if running) and deletes its files. */
  destroy(): Promise<void>;
}

/** The directory of PostgreSQL's server binaries (`initdb`, `pg_ctl`), newest version first, or undefined. */
export function findPostgresBin(): string | undefined {
  const fromEnv = process.env.PG_BIN_DIR;
  if (fromEnv && existsSync(resolve(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(resolve(root, v, 'bin/initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? resolve(root, versions[0], 'bin') : undefined;
}

/** Runs a server binary, as the `postgres` OS user when this process is root. */
async function asPostgres(bin: string, args: string[]): Promise<void> {
  const asRoot = userInfo().uid === 0;
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  await run(file, argv, { timeout: 60_000 });
}

/** initdb + start on a free port. Throws with the reason when it cannot (no binaries, no postgres user…). */
export async function startThrowawayCluster(): Promise<ThrowawayCluster> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (set PG_BIN_DIR)');
  const dir = resolve(CLUSTERS_DIR, `cluster_${process.pid}_${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  if (userInfo().uid === 0) {
    const ids = await run('id', ['-u', 'postgres']).then((r) => Number(r.stdout.trim()));
    const gid = await run('id', ['-g', 'postgres']).then((r) => Number(r.stdout.trim()));
    chownSync(dir, ids, gid);
  }
  const data = resolve(dir, 'data');
  const log = resolve(dir, 'server.log');
  const port = await freePort();
  const pgCtl = resolve(bin, 'pg_ctl');
  // fsync off: the data is thrown away; an immediate stop still makes the server crash-recover on start.
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c max_connections=50`;
  await asPostgres(resolve(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--no-sync',
    '--no-instructions',
  ]);
  const cluster: ThrowawayCluster = {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stopImmediately: () => asPostgres(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']),
    start: () => asPostgres(pgCtl, ['-D', data, '-o', options, '-l', log, '-w', '-t', '60', 'start']),
    async destroy() {
      await asPostgres(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await cluster.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return cluster;
}
