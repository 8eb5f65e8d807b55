import type { StoreConstraint } from './errors/store-conflict-error.js';

const WHAT: Record<StoreConstraint, string> = {
  primary_key: 'a row with this id already exists; generate a fresh id',
  payment_merchant_order_id: 'a payment with this merchant order id already exists; read it instead of inserting',
  payment_idempotency_key:
    'the workspace already has a payment with this idempotency key; read it instead of inserting',
  refund_merchant_refund_id: 'a refund with this merchant refund id already exists; use a new merchant refund id',
  refund_open_per_payment: 'the payment already has a pending or confirmed refund; wait for it to settle',
  subscription_live_per_workspace: 'the workspace already has a live subscription; update that one instead',
  subscription_merchant_subscription_id:
    'a subscription with this merchant subscription id already exists; use a new one',
  subscription_version: 'the subscription changed since it was read (or is not visible); read it again and retry',
};

/**
 * The one-sentence message of a `StoreConflictError`, the same from every store.
 *
 * @example
 * new StoreConflictError('payment_merchant_order_id', conflictMessage('payments.insert', 'payment_merchant_order_id', 'ORD1'));
 */
export function conflictMessage(operation: string, constraint: StoreConstraint, id: string): string {
  return `${operation} for ${id} was refused (${constraint}): ${WHAT[constraint]}.`;
}
