-- phonepe-billing 002: row-level security.
-- Every table with workspace_id is ENABLEd and FORCEd (so the table owner is bound too; only
-- superusers and BYPASSRLS roles skip it). A session sees and writes the rows of the workspace in
-- `app.workspace_id`, or every row in system mode (`app.billing_system = 'on'`), which webhook,
-- reconciliation and renewal work uses. KyselyStore sets both with SET LOCAL (set_config(…, true))
-- at the start of each transaction; with neither set, a session sees no tenant row at all.
-- webhook_events rows whose workspace_id is still NULL are visible in system mode only.
-- Plans are not tenant data: readable by every session, written in system mode only.

alter table subscriptions enable row level security;
alter table subscriptions force row level security;
create policy subscriptions_workspace_isolation on subscriptions
  using (current_setting('app.billing_system', true) = 'on' or workspace_id = current_setting('app.workspace_id', true))
  with check (current_setting('app.billing_system', true) = 'on' or workspace_id = current_setting('app.workspace_id', true));

alter table payment_transactions enable row level security;
alter table payment_transactions force row level security;
create policy payment_transactions_workspace_isolation on payment_transactions
  using (current_setting('app.billing_system', true) = 'on' or workspace_id = current_setting('app.workspace_id', true))
  with check (current_setting('app.billing_system', true) = 'on' or workspace_id = current_setting('app.workspace_id', true));

alter table payment_refunds enable row level security;
alter table payment_refunds force row level security;
create policy payment_refunds_workspace_isolation on payment_refunds
  using (current_setting('app.billing_system', true) = 'on' or workspace_id = current_setting('app.workspace_id', true))
  with check (current_setting('app.billing_system', true) = 'on' or workspace_id = current_setting('app.workspace_id', true));

alter table subscription_usage enable row level security;
alter table subscription_usage force row level security;
create policy subscription_usage_workspace_isolation on subscription_usage
  using (current_setting('app.billing_system', true) = 'on' or workspace_id = current_setting('app.workspace_id', true))
  with check (current_setting('app.billing_system', true) = 'on' or workspace_id = current_setting('app.workspace_id', true));

alter table subscription_usage_events enable row level security;
alter table subscription_usage_events force row level security;
create policy subscription_usage_events_workspace_isolation on subscription_usage_events
  using (current_setting('app.billing_system', true) = 'on' or workspace_id = current_setting('app.workspace_id', true))
  with check (current_setting('app.billing_system', true) = 'on' or workspace_id = current_setting('app.workspace_id', true));

alter table webhook_events enable row level security;
alter table webhook_events force row level security;
create policy webhook_events_workspace_isolation on webhook_events
  using (current_setting('app.billing_system', true) = 'on' or workspace_id = current_setting('app.workspace_id', true))
  with check (current_setting('app.billing_system', true) = 'on' or workspace_id = current_setting('app.workspace_id', true));

alter table billing_audit_log enable row level security;
alter table billing_audit_log force row level security;
create policy billing_audit_log_workspace_isolation on billing_audit_log
  using (current_setting('app.billing_system', true) = 'on' or workspace_id = current_setting('app.workspace_id', true))
  with check (current_setting('app.billing_system', true) = 'on' or workspace_id = current_setting('app.workspace_id', true));

alter table plans enable row level security;
alter table plans force row level security;
create policy plans_readable_by_all on plans for select using (true);
create policy plans_written_by_system on plans
  using (current_setting('app.billing_system', true) = 'on')
  with check (current_setting('app.billing_system', true) = 'on');
