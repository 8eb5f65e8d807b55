import pg from 'pg';

/** The tenant tables the app role may read and write (row-level security bounds them to one workspace). */
const APP_TABLES =
  'subscriptions, payment_transactions, payment_refunds, subscription_usage, subscription_usage_events, webhook_events, billing_audit_log, billing_outbox';

/**
 * The per-database part of the recipe in docs/storage.md ("Row-level security and roles"), run as
 * the owner after migrating, with the doc's names replaced: `app` by the database, `billing_app` by
 * `app`, `billing_worker` by `worker`. Drift is caught by test/docs/storage-grants.test.ts, which
 * looks for these statements in docs/storage.md.
 */
export function billingGrantStatements(database: string, app: string, worker: string): string[] {
  return [
    `grant connect on database ${database} to ${app}, ${worker};`,
    `grant usage on schema public to ${app}, ${worker};`,
    `grant select on plans to ${app};`,
    `grant select, insert, update, delete on ${APP_TABLES} to ${app};`,
  ];
}

/**
 * Runs exactly {@link billingGrantStatements} as the owner (`ownerUrl`) for the app role and the
 * worker role (a login role in `phonepe_billing_system`; see billing-roles.ts).
 */
export async function grantAppRole(
  ownerUrl: string,
  databaseName: string,
  roles: { app: string; worker: string },
): Promise<void> {
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    const quote = (name: string) => `"${name}"`;
    for (const statement of billingGrantStatements(quote(databaseName), quote(roles.app), quote(roles.worker)))
      await owner.query(statement);
  } finally {
    await owner.end();
  }
}
