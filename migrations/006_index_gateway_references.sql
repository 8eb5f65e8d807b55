-- phonepe-billing 006: some gateways' events name only the gateway's own ids — Razorpay's `payment.failed`
-- names its order id, its `token.*` events the token — so payments are found by (gateway, the gateway's
-- order id) and subscriptions by (gateway, the gateway's mandate reference). Plain indexes: an id a gateway
-- reuses would only ever be read, never refused.
create index payment_transactions_gateway_order_idx
  on payment_transactions (gateway, phonepe_order_id)
  where phonepe_order_id is not null;

create index subscriptions_gateway_mandate_idx
  on subscriptions (mandate_gateway, phonepe_subscription_id)
  where phonepe_subscription_id is not null;
