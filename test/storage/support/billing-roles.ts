import pg from 'pg';
import { SYSTEM_ROLE } from '../../../src/storage/kysely/index.js';
import { withDatabase } from './postgres-database.js';

/** A login role made for one test file; `drop()` after the databases it was granted on are dropped. */
export interface TestLoginRole {
  name: string;
  /** A connection URL for this role to `database` on the admin URL's server. */
  urlFor(database: string): string;
  drop(): Promise<void>;
}

/**
 * docs/storage.md's "once, as a superuser" `create role phonepe_billing_system nologin`, made safe for
 * test files that run it at the same time on one cluster (roles are cluster-wide): a concurrent
 * creation is not an error.
 */
export async function ensureSystemRole(adminUrl: string): Promise<void> {
  await admin(
    adminUrl,
    `do $$ begin
    if not exists (select 1 from pg_roles where rolname = '${SYSTEM_ROLE}') then
      create role ${SYSTEM_ROLE} nologin;
    end if;
  exception when duplicate_object or unique_violation then null;
  end $$`,
  );
}

/**
 * `create role <prefix>_<random> login password … nosuperuser nobypassrls [in role …]`, like the
 * docs/storage.md's billing_owner / billing_worker. `inSystemRole` makes it a worker (member of the system role).
 */
export async function createLoginRole(
  adminUrl: string,
  prefix: string,
  options: { inSystemRole?: boolean } = {},
): Promise<TestLoginRole> {
  const name = `${prefix}_${Math.random().toString(36).slice(2, 10)}`;
  const password = Math.random().toString(36).slice(2);
  if (options.inSystemRole) await ensureSystemRole(adminUrl);
  await admin(
    adminUrl,
    `create role "${name}" login password '${password}' nosuperuser nobypassrls${options.inSystemRole ? ` in role ${SYSTEM_ROLE}` : ''}`,
  );
  return {
    name,
    urlFor(database) {
      const url = new URL(withDatabase(adminUrl, database));
      url.username = name;
      url.password = password;
      return url.toString();
    },
    drop: () => admin(adminUrl, `drop role if exists "${name}"`),
  };
}

/** Runs one statement as the superuser of `adminUrl`. */
export async function admin(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
