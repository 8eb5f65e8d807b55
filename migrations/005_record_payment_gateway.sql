-- phonepe-billing 005: every payment, refund, mandate and webhook event records the payment gateway it
-- belongs to (`phonepe`, later others) and the gateway account (for PhonePe, the API client id), so that
-- one manager can hold several gateways and each payment, refund and mandate stays on the one that created
-- it. Existing rows were all made through PhonePe: they get `phonepe`; their account stays null, meaning
-- "the account configured when they were made". The defaults stay, so a process still running the previous
-- version during a rolling deploy writes valid rows.
alter table payment_transactions
  add column gateway text not null default 'phonepe' constraint payment_transactions_gateway_check
    check (gateway ~ '^[a-z][a-z0-9_]{0,31}$'),
  add column gateway_account text;

alter table payment_refunds
  add column gateway text not null default 'phonepe' constraint payment_refunds_gateway_check
    check (gateway ~ '^[a-z][a-z0-9_]{0,31}$'),
  add column gateway_account text;

-- The gateway of the subscription's mandate (null while it has none).
alter table subscriptions
  add column mandate_gateway text constraint subscriptions_mandate_gateway_check
    check (mandate_gateway ~ '^[a-z][a-z0-9_]{0,31}$'),
  add column mandate_gateway_account text;
update subscriptions set mandate_gateway = 'phonepe' where merchant_subscription_id is not null;

alter table webhook_events
  add column gateway text not null default 'phonepe' constraint webhook_events_gateway_check
    check (gateway ~ '^[a-z][a-z0-9_]{0,31}$');
