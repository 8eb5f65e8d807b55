import { createPgliteStore, createPgStore, migrateToLatest, type KyselyStore } from 'phonepe-billing/kysely';

/**
 * Opens the billing store the examples use, migrated and ready:
 * - `DATABASE_URL=postgres://…` (or `postgresql://…`): that PostgreSQL server;
 * - any other value: a PGlite data directory (e.g. `./.pglite`: data kept between runs);
 * - unset: PGlite in memory (gone when the process stops).
 * Migrating at start-up keeps the examples one command; in production run `phonepe-billing migrate`
 * as the role that owns the tables when you deploy, and give the app a role that does not.
 *
 * @example
 * const store = await openStore(config.databaseUrl);
 */
export async function openStore(databaseUrl: string | undefined, databaseSystemUrl?: string): Promise<KyselyStore> {
  if (!databaseUrl || !/^postgres(ql)?:\/\//i.test(databaseUrl))
    return createPgliteStore(databaseUrl ? { dataDir: databaseUrl } : {});
  // With DATABASE_SYSTEM_URL, webhooks, reconciliation and renewals run as the worker role (docs/storage.md: roles).
  const store = await createPgStore({
    connectionString: databaseUrl,
    ...(databaseSystemUrl ? { systemConnectionString: databaseSystemUrl } : {}),
  });
  try {
    await migrateToLatest(store.db);
    return store;
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** What {@link openStore} opens, in words (for start-up lines; never the password). */
export function describeStore(databaseUrl: string | undefined): string {
  if (!databaseUrl) return 'PGlite in memory';
  if (!/^postgres(ql)?:\/\//i.test(databaseUrl)) return `PGlite in ${databaseUrl}`;
  const url = new URL(databaseUrl);
  return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
}
