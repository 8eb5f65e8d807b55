-- phonepe-billing 007: the transactional outbox of billing events.
-- Until 007 the host's hooks ran in-process after the commit, so a crash between the commit and the
-- hook lost "payment completed" or "subscription past due" for good. Every hook event is now written
-- here inside the same transaction as the state change it reports (a rollback writes none, a commit
-- writes all), then delivered to the host's hooks at least once: right after the commit by the process
-- that wrote it, or later by `billing.dispatchEvents()` for whatever a crash or a failing hook left.
--
-- id is the event id hosts dedupe on (handed to each hook as `eventId`). sequence orders delivery: the
-- events of one workspace are delivered in sequence order, and an event is not claimed while an older
-- one of its workspace is still pending (neither delivered nor dead). A claim holds a lease
-- (locked_by / locked_until) so that several processes never deliver one event at once; a process
-- that dies holding one only delays the event until the lease ends. last_error holds the hook's error
-- message (the library never puts secrets in it). payload is the hook's event as JSON (times are
-- epoch milliseconds, as in the records), without the eventId.

create table billing_outbox (
  id text primary key,
  -- null for system events that name no workspace (some anomalies): visible in system mode only.
  workspace_id text,
  event text not null check (event ~ '^[a-zA-Z]{1,64}$'),
  payload jsonb not null check (jsonb_typeof(payload) = 'object'),
  -- An identity column: the inserting role needs no grant on a sequence.
  sequence bigint generated always as identity,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'dead')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null,
  last_error text,
  locked_by text,
  locked_until timestamptz,
  created_at timestamptz not null,
  delivered_at timestamptz,
  -- A delivered event has its time; a lease is whole or absent.
  constraint billing_outbox_delivered_check check ((status = 'delivered') = (delivered_at is not null)),
  constraint billing_outbox_lease_check check ((locked_by is null) = (locked_until is null))
);

create unique index billing_outbox_sequence_idx on billing_outbox (sequence);
-- The claim: pending events in sequence order (the partial index stays small: delivered rows leave it).
create index billing_outbox_pending_idx on billing_outbox (sequence) where status = 'pending';
-- The order rule: is an older event of this workspace still pending?
create index billing_outbox_workspace_pending_idx on billing_outbox (workspace_id, sequence)
  where status = 'pending';
-- Dead letters for operators, newest first.
create index billing_outbox_dead_idx on billing_outbox (sequence desc) where status = 'dead';

-- Row-level security as for the other tenant tables (002 / 003): the workspace in app.workspace_id for
-- every role, every row in system mode for members of phonepe_billing_system only. Rows whose
-- workspace_id is null match no workspace.
alter table billing_outbox enable row level security;
alter table billing_outbox force row level security;
create policy billing_outbox_workspace_isolation on billing_outbox
  using (workspace_id = current_setting('app.workspace_id', true))
  with check (workspace_id = current_setting('app.workspace_id', true));
create policy billing_outbox_system_mode on billing_outbox to phonepe_billing_system
  using (current_setting('app.billing_system', true) = 'on')
  with check (current_setting('app.billing_system', true) = 'on');

-- Workers (members of phonepe_billing_system) claim and finish deliveries across workspaces.
grant select, insert, update, delete on billing_outbox to phonepe_billing_system;
