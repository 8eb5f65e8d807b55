import pg from 'pg';

/**
 * Exactly the grants the README ("Storage and migrations: row-level security and roles") tells a
 * host to run as the owner after migrating, for the app role.
 */
export async function grantAppRole(ownerUrl: string, databaseName: string, role: string): Promise<void> {
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    await owner.query(`grant connect on database "${databaseName}" to "${role}"`);
    await owner.query(`grant usage on schema public to "${role}"`);
    await owner.query(`grant select, insert, update, delete on all tables in schema public to "${role}"`);
    await owner.query(`grant usage, select on all sequences in schema public to "${role}"`);
  } finally {
    await owner.end();
  }
}
