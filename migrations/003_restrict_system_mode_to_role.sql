-- phonepe-billing 003: system mode becomes a privilege of the role phonepe_billing_system.
-- Until 002 any session could see every workspace by setting app.billing_system = 'on', which the
-- app's own role may do, so one injected statement could read every tenant. From here on the
-- system-mode policies apply only to members of phonepe_billing_system (a NOLOGIN group role):
-- a session sees every workspace only when it is a member AND has set app.billing_system = 'on'
-- (KyselyStore sets it for { system: true } transactions). A role that is not a member sees the
-- rows of app.workspace_id only, whatever it sets. Workers (webhooks, reconciliation, renewals)
-- connect as a login role that is a member; the app role that serves requests is not.
--
-- Roles belong to the whole cluster, not to one database: phonepe_billing_system is created once
-- and shared by every database of this cluster that uses phonepe-billing (its table privileges
-- below are granted per database). Creating it needs CREATEROLE; if the migrating role lacks it,
-- this file stops with the statement a superuser must run first.
-- Future migrations that add tables grant them to phonepe_billing_system too.

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'phonepe_billing_system') then
    begin
      create role phonepe_billing_system nologin;
    exception
      -- Another database's migration created it at the same moment (tests migrate many databases
      -- of one cluster at once): the role exists, which is all this needs.
      when duplicate_object or unique_violation then null;
      when insufficient_privilege then
        raise exception 'the role phonepe_billing_system does not exist and role % may not create it; as a superuser run "create role phonepe_billing_system nologin", then run migrate again', current_user
          using errcode = 'insufficient_privilege';
    end;
  end if;
  -- The migrating role joins it when it may, so a store on that one connection keeps working in
  -- system mode (as before 003). A role without CREATEROLE or ADMIN on the group cannot join it;
  -- that only matters if the owner itself serves system-scope transactions.
  if not pg_has_role(current_user, 'phonepe_billing_system', 'USAGE') then
    begin
      execute format('grant phonepe_billing_system to %I', current_user);
    exception when insufficient_privilege then
      raise notice 'role % is not a member of phonepe_billing_system and may not join it; connect system-scope stores as a member', current_user;
    end;
  end if;
end
$$;

-- The group carries the table rights a worker needs, so a worker login role needs only membership.
grant select, insert, update, delete on
  plans, subscriptions, payment_transactions, payment_refunds, subscription_usage, subscription_usage_events,
  webhook_events, billing_audit_log
  to phonepe_billing_system;

-- Each tenant table: one policy for the workspace in app.workspace_id (every role), one for system
-- mode (members of phonepe_billing_system only). Permissive policies are OR-ed.
drop policy subscriptions_workspace_isolation on subscriptions;
create policy subscriptions_workspace_isolation on subscriptions
  using (workspace_id = current_setting('app.workspace_id', true))
  with check (workspace_id = current_setting('app.workspace_id', true));
create policy subscriptions_system_mode on subscriptions to phonepe_billing_system
  using (current_setting('app.billing_system', true) = 'on')
  with check (current_setting('app.billing_system', true) = 'on');

drop policy payment_transactions_workspace_isolation on payment_transactions;
create policy payment_transactions_workspace_isolation on payment_transactions
  using (workspace_id = current_setting('app.workspace_id', true))
  with check (workspace_id = current_setting('app.workspace_id', true));
create policy payment_transactions_system_mode on payment_transactions to phonepe_billing_system
  using (current_setting('app.billing_system', true) = 'on')
  with check (current_setting('app.billing_system', true) = 'on');

drop policy payment_refunds_workspace_isolation on payment_refunds;
create policy payment_refunds_workspace_isolation on payment_refunds
  using (workspace_id = current_setting('app.workspace_id', true))
  with check (workspace_id = current_setting('app.workspace_id', true));
create policy payment_refunds_system_mode on payment_refunds to phonepe_billing_system
  using (current_setting('app.billing_system', true) = 'on')
  with check (current_setting('app.billing_system', true) = 'on');

drop policy subscription_usage_workspace_isolation on subscription_usage;
create policy subscription_usage_workspace_isolation on subscription_usage
  using (workspace_id = current_setting('app.workspace_id', true))
  with check (workspace_id = current_setting('app.workspace_id', true));
create policy subscription_usage_system_mode on subscription_usage to phonepe_billing_system
  using (current_setting('app.billing_system', true) = 'on')
  with check (current_setting('app.billing_system', true) = 'on');

drop policy subscription_usage_events_workspace_isolation on subscription_usage_events;
create policy subscription_usage_events_workspace_isolation on subscription_usage_events
  using (workspace_id = current_setting('app.workspace_id', true))
  with check (workspace_id = current_setting('app.workspace_id', true));
create policy subscription_usage_events_system_mode on subscription_usage_events to phonepe_billing_system
  using (current_setting('app.billing_system', true) = 'on')
  with check (current_setting('app.billing_system', true) = 'on');

-- Rows whose workspace_id is still NULL match no workspace: system mode only, as before.
drop policy webhook_events_workspace_isolation on webhook_events;
create policy webhook_events_workspace_isolation on webhook_events
  using (workspace_id = current_setting('app.workspace_id', true))
  with check (workspace_id = current_setting('app.workspace_id', true));
create policy webhook_events_system_mode on webhook_events to phonepe_billing_system
  using (current_setting('app.billing_system', true) = 'on')
  with check (current_setting('app.billing_system', true) = 'on');

drop policy billing_audit_log_workspace_isolation on billing_audit_log;
create policy billing_audit_log_workspace_isolation on billing_audit_log
  using (workspace_id = current_setting('app.workspace_id', true))
  with check (workspace_id = current_setting('app.workspace_id', true));
create policy billing_audit_log_system_mode on billing_audit_log to phonepe_billing_system
  using (current_setting('app.billing_system', true) = 'on')
  with check (current_setting('app.billing_system', true) = 'on');

-- Plans stay readable by every session (plans_readable_by_all) and writable in system mode only.
drop policy plans_written_by_system on plans;
create policy plans_written_by_system on plans to phonepe_billing_system
  using (current_setting('app.billing_system', true) = 'on')
  with check (current_setting('app.billing_system', true) = 'on');
