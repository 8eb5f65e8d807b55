import type { PhonePeCreatingOperation } from '../errors/phonepe-outcome-unknown-error.js';
import type { OrderStatus } from '../schemas/order-status.js';
import { type OutcomeCheck, outcomeUnknown } from './send-creating.js';

/**
 * The check for calls that create an order and answer with something only that answer carries
 * (pay → redirectUrl, createSdkOrder → token, subscriptions.setup → redirectUrl/intentUrl).
 * The status endpoint cannot give that back, so an existing order (also one a "duplicate id" answer
 * points to) still ends in
 * PhonePeOutcomeUnknownError (`created: true`, `existing` = its status): the caller must start
 * over with a new merchantOrderId.
 */
export function orderCreationCheck<T>(args: {
  operation: PhonePeCreatingOperation;
  merchantOrderId: string;
  lost: string;
  lookup: () => Promise<OrderStatus>;
}): OutcomeCheck<OrderStatus, T> {
  const check: OutcomeCheck<OrderStatus, T> = {
    operation: args.operation,
    id: { merchantOrderId: args.merchantOrderId },
    statusMethod: 'getOrderStatus',
    lookup: args.lookup,
    decide: (existing, failure, kind) => {
      const what = kind === 'ambiguous' ? 'PhonePe created the order' : 'an earlier call created the order';
      throw outcomeUnknown(check, failure, {
        kind,
        created: true,
        existing,
        tail: `${what} (state ${existing.state}), but its ${args.lost} was not received here; create a new order with a new merchantOrderId.`,
      });
    },
  };
  return check;
}
