import { parseCliArgs } from '../parse-cli-args.js';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { isStoreUnavailableError } from '../../storage/errors.js';
import { isMigrationError, migrateToLatest } from '../../storage/kysely/migrations.js';
import { watchPoolErrors } from '../../storage/kysely/pg-pool.js';
import { silentLogger } from '../../common/logger.js';

const USAGE = `Usage: phonepe-billing migrate [--database-url <url>]

Applies the pending phonepe-billing SQL migrations (migrations/NNN_*.sql), each once and in
order, in its own transaction, under an advisory lock. Run it as the role that owns the tables.
Exit code: 0 when the database is up to date, 1 when a migration or the connection failed,
2 on bad usage.

Options:
  --database-url <url>  PostgreSQL URL (default: the DATABASE_URL environment variable)
  --help                show this help
`;

/** `phonepe-billing migrate`: prints each applied migration, or that there was nothing to do. */
export async function run(argv: readonly string[]): Promise<number> {
  const parsed = parseCliArgs('migrate', USAGE, argv, OPTIONS);
  if ('exitCode' in parsed) return parsed.exitCode;
  const values = parsed.values as { 'database-url'?: string };
  const url = values['database-url'] || process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write(
      `phonepe-billing migrate: no database given; pass --database-url or set DATABASE_URL.\n\n${USAGE}`,
    );
    return 2;
  }
  const target = describeTarget(url);
  if (!target) {
    process.stderr.write('phonepe-billing migrate: --database-url is not a valid postgres:// URL.\n');
    return 2;
  }
  return migrate(url, target);
}

const OPTIONS = {
  'database-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function migrate(url: string, target: string): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 10_000 });
  watchPoolErrors(pool, silentLogger); // a dropped connection fails the running query below instead of crashing
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  try {
    const { applied } = await migrateToLatest(db);
    for (const name of applied) process.stdout.write(`applied ${name}\n`);
    process.stdout.write(
      applied.length === 0
        ? `${target} is already up to date.\n`
        : `${target} is up to date (${applied.length} applied).\n`,
    );
    return 0;
  } catch (error) {
    const message =
      isMigrationError(error) || isStoreUnavailableError(error)
        ? error.message
        : `${(error as Error).message ?? String(error)}`;
    process.stderr.write(`phonepe-billing migrate: ${target}: ${message}\n`);
    return 1;
  } finally {
    await db.destroy();
  }
}

/** host:port/database, without the user or password (never print a credential). */
function describeTarget(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (!/^postgres(ql)?:$/.test(parsed.protocol)) return null;
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}${parsed.pathname || '/'}`;
  } catch {
    return null;
  }
}
