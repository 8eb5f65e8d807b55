-- phonepe-billing 001: the billing tables.
-- Money is integer paise (bigint, never negative); times are timestamptz; states are checked
-- against the same lists as the TypeScript records (src/storage/records). The unique constraints
-- and indexes carry the billing layer's idempotency; their names are mapped to the port's
-- StoreConflictError constraint names in src/storage/kysely/constraint-names.ts.
-- No transaction control here: the migrator wraps each file in a transaction; with psql use
-- `psql -v ON_ERROR_STOP=1 --single-transaction -f migrations/001_create_billing_tables.sql`.

create table plans (
  id text primary key,
  name text not null,
  description text,
  price_paise bigint not null check (price_paise >= 0),
  currency text not null check (currency = 'INR'),
  billing_interval text not null check (billing_interval in ('month', 'year')),
  limits jsonb not null default '{}'::jsonb check (jsonb_typeof(limits) = 'object'),
  features jsonb not null default '[]'::jsonb check (jsonb_typeof(features) = 'array'),
  autopay boolean not null default false,
  trial_days integer not null default 0 check (trial_days >= 0),
  active boolean not null default true,
  sort_order integer not null default 0,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

create table subscriptions (
  id text primary key,
  workspace_id text not null,
  plan_id text not null,
  status text not null check (status in ('trialing', 'active', 'past_due', 'cancelled', 'expired')),
  renewal_mode text not null check (renewal_mode in ('manual', 'autopay')),
  current_period_start timestamptz not null,
  current_period_end timestamptz not null,
  cancel_at_period_end boolean not null default false,
  cancelled_at timestamptz,
  cancellation_reason text,
  ended_at timestamptz,
  pending_plan_id text,
  merchant_subscription_id text constraint subscriptions_merchant_subscription_id_key unique,
  phonepe_subscription_id text,
  mandate_state text,
  mandate_max_amount_paise bigint check (mandate_max_amount_paise >= 0),
  next_action_at timestamptz,
  grace_ends_at timestamptz,
  renewal_attempts integer not null default 0 check (renewal_attempts >= 0),
  claimed_by text,
  claim_expires_at timestamptz,
  created_by text,
  metadata jsonb not null default '{}'::jsonb check (jsonb_typeof(metadata) = 'object'),
  version integer not null default 1 check (version >= 1),
  created_at timestamptz not null,
  updated_at timestamptz not null
);

-- At most one live subscription per workspace.
create unique index subscriptions_live_per_workspace_idx on subscriptions (workspace_id)
  where status in ('trialing', 'active', 'past_due');
-- Due renewals: live rows by next_action_at (listDue, claimDue).
create index subscriptions_due_idx on subscriptions (next_action_at)
  where status in ('trialing', 'active', 'past_due') and next_action_at is not null;
create index subscriptions_workspace_created_idx on subscriptions (workspace_id, created_at desc);

create table payment_transactions (
  id text primary key,
  workspace_id text not null,
  user_id text,
  plan_id text not null,
  subscription_id text,
  merchant_order_id text not null constraint payment_transactions_merchant_order_id_key unique,
  phonepe_order_id text,
  method text not null check (method in ('checkout', 'autopay_setup', 'autopay_redemption')),
  purpose text not null check (purpose in ('new_subscription', 'renewal', 'upgrade')),
  amount_paise bigint not null check (amount_paise >= 0),
  currency text not null check (currency = 'INR'),
  state text not null check (state in ('created', 'pending', 'completed', 'failed', 'expired')),
  return_url text,
  payment_url text,
  idempotency_key text,
  merchant_subscription_id text,
  period_start timestamptz,
  period_end timestamptz,
  error_code text,
  detailed_error_code text,
  phonepe_transaction_id text,
  payment_mode text,
  expires_at timestamptz,
  notified_at timestamptz,
  redeem_after timestamptz,
  redeem_before timestamptz,
  attempts integer not null default 0 check (attempts >= 0),
  last_checked_at timestamptz,
  first_signal_at timestamptz,
  settled_at timestamptz,
  metadata jsonb not null default '{}'::jsonb check (jsonb_typeof(metadata) = 'object'),
  created_at timestamptz not null,
  updated_at timestamptz not null
);

-- One payment per workspace and idempotency key.
create unique index payment_transactions_idempotency_key_idx on payment_transactions (workspace_id, idempotency_key)
  where idempotency_key is not null;
-- Stale created/pending payments for reconciliation (listStale).
create index payment_transactions_stale_idx on payment_transactions (state, last_checked_at nulls first, created_at)
  where state in ('created', 'pending');
create index payment_transactions_workspace_created_idx on payment_transactions (workspace_id, created_at desc);
create index payment_transactions_subscription_created_idx on payment_transactions (subscription_id, created_at desc)
  where subscription_id is not null;
create index payment_transactions_settled_idx on payment_transactions (settled_at) where settled_at is not null;

create table payment_refunds (
  id text primary key,
  workspace_id text not null,
  payment_id text not null,
  merchant_refund_id text not null constraint payment_refunds_merchant_refund_id_key unique,
  phonepe_refund_id text,
  amount_paise bigint not null check (amount_paise >= 0),
  state text not null check (state in ('pending', 'confirmed', 'completed', 'failed')),
  reason text,
  error_code text,
  requested_by text,
  last_checked_at timestamptz,
  settled_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

-- At most one refund in flight per payment.
create unique index payment_refunds_open_per_payment_idx on payment_refunds (payment_id)
  where state in ('pending', 'confirmed');
create index payment_refunds_payment_idx on payment_refunds (payment_id, created_at);
create index payment_refunds_stale_idx on payment_refunds (state, last_checked_at nulls first, created_at)
  where state in ('pending', 'confirmed');

create table subscription_usage (
  workspace_id text not null,
  metric text not null,
  period_start timestamptz not null,
  used bigint not null check (used >= 0),
  updated_at timestamptz not null,
  constraint subscription_usage_pkey primary key (workspace_id, metric, period_start)
);

-- Usage keys already counted: an increment with a key happens at most once per workspace.
create table subscription_usage_events (
  workspace_id text not null,
  usage_key text not null,
  metric text not null,
  period_start timestamptz not null,
  amount bigint not null check (amount > 0),
  created_at timestamptz not null,
  constraint subscription_usage_events_pkey primary key (workspace_id, usage_key)
);

create table webhook_events (
  dedupe_key text primary key,
  event text not null,
  workspace_id text,
  subject_id text,
  payload jsonb not null default 'null'::jsonb,
  status text not null check (status in ('received', 'processed', 'failed')),
  duplicate_count integer not null default 0 check (duplicate_count >= 0),
  attempts integer not null default 1 check (attempts >= 0),
  error text,
  outcome text,
  received_at timestamptz not null,
  processed_at timestamptz
);

create index webhook_events_received_idx on webhook_events (received_at);
create index webhook_events_workspace_idx on webhook_events (workspace_id) where workspace_id is not null;

create table billing_audit_log (
  id text primary key,
  workspace_id text not null,
  actor text not null,
  action text not null,
  entity_type text not null check (entity_type in ('payment', 'refund', 'subscription', 'usage', 'webhook', 'plan')),
  entity_id text not null,
  data jsonb not null default '{}'::jsonb check (jsonb_typeof(data) = 'object'),
  created_at timestamptz not null
);

create index billing_audit_log_workspace_created_idx on billing_audit_log (workspace_id, created_at desc);
