import pg from 'pg';

/**
 * The anchor for settlement: what settling a webhook needs at the least, written by hand with `pg` —
 * BEGIN, insert the event (deduplicated by its key), update the payment, update the subscription,
 * COMMIT. Its own three tables, in the same database as the library's.
 */
export async function createPlainTables(pool: pg.Pool): Promise<void> {
  await pool.query(`
    create table if not exists plain_events (dedupe_key text primary key, event text not null, payload jsonb not null, received_at timestamptz not null default now());
    create table if not exists plain_payments (id text primary key, workspace_id text not null, state text not null, amount bigint not null, settled_at timestamptz, updated_at timestamptz not null default now());
    create table if not exists plain_subscriptions (workspace_id text primary key, plan_id text not null, status text not null, period_end timestamptz, updated_at timestamptz not null default now());
  `);
}

/** Rows for `n` pending payments (and their workspaces' subscriptions) named `${prefix}_${i}`. */
export async function seedPlainPayments(pool: pg.Pool, prefix: string, n: number): Promise<void> {
  const ids = Array.from({ length: n }, (_, i) => `${prefix}_${i}`);
  await pool.query(
    `insert into plain_payments (id, workspace_id, state, amount) select 'ord_' || x, 'ws_' || x, 'pending', 299900 from unnest($1::text[]) as x`,
    [ids],
  );
  await pool.query(
    `insert into plain_subscriptions (workspace_id, plan_id, status) select 'ws_' || x, 'pro', 'incomplete' from unnest($1::text[]) as x`,
    [ids],
  );
}

/** One settled webhook, the plain way (5 statements, 1 transaction). */
export async function settlePlain(client: pg.PoolClient, body: string): Promise<void> {
  const event = JSON.parse(body) as { event: string; payload: { merchantOrderId: string; state: string } };
  const orderId = event.payload.merchantOrderId;
  const workspaceId = `ws_${orderId.slice('ord_'.length)}`;
  await client.query('begin');
  try {
    await client.query(
      'insert into plain_events (dedupe_key, event, payload) values ($1, $2, $3) on conflict (dedupe_key) do nothing',
      [`${event.event}:${orderId}:${event.payload.state}`, event.event, body],
    );
    await client.query(
      `update plain_payments set state = 'completed', settled_at = now(), updated_at = now() where id = $1 and state = 'pending'`,
      [orderId],
    );
    await client.query(
      `update plain_subscriptions set status = 'active', period_end = now() + interval '1 month', updated_at = now() where workspace_id = $1`,
      [workspaceId],
    );
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}
