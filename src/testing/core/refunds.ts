import { PhonePeEmulatorError, unknownRefund } from '../errors.js';
import { emitWebhook, type EmulatorCore, scopedKey } from './emulator-core.js';
import type { FailureDetails, MerchantRecord, OrderRecord, RefundRecord } from './records.js';
import { refundView } from './views.js';

export interface RefundInput {
  merchantRefundId: string;
  originalMerchantOrderId: string;
  amount: number;
}

/**
 * Accepts a refund (docs/phonepe-protocol.md#refund) or refuses it: the refund id must be new; the order must be
 * COMPLETED (checkout, setup or redemption alike); refunds that have not FAILED may not add up to
 * more than the order amount; and while one refund of the order is PENDING or CONFIRMED no other
 * may start (docs/phonepe-protocol.md#refund-states says not to; the emulator refuses rather than queue).
 */
export function createRefund(core: EmulatorCore, merchant: MerchantRecord, input: RefundInput): RefundRecord {
  const key = scopedKey(merchant.merchantId, input.merchantRefundId);
  if (core.state.refunds.has(key)) {
    throw new PhonePeEmulatorError(417, 'DUPLICATE_REQUEST_ID', 'Refund ID has already been used', { success: false });
  }
  const order = core.state.orders.get(scopedKey(merchant.merchantId, input.originalMerchantOrderId));
  // Not INVALID_MERCHANT_ORDER_ID: on a creating call that code reads as "already submitted"
  // (docs/phonepe-protocol.md#unsettled-duplicate-ids); PhonePe's Go SDK tests use this code.
  if (!order)
    throw new PhonePeEmulatorError(
      400,
      'ORDER_NOT_FOUND',
      `Order not found for refund: ${input.originalMerchantOrderId}`,
    );
  if (order.state !== 'COMPLETED') {
    throw new PhonePeEmulatorError(
      400,
      'ORDER_NOT_COMPLETED',
      `Order ${order.merchantOrderId} is ${order.state}; only a COMPLETED order can be refunded.`,
    );
  }
  const siblings = [...core.state.refunds.values()].filter(
    (r) => r.merchantId === merchant.merchantId && r.originalMerchantOrderId === order.merchantOrderId,
  );
  if (siblings.some((r) => r.state === 'PENDING' || r.state === 'CONFIRMED')) {
    throw new PhonePeEmulatorError(
      400,
      'REFUND_ALREADY_IN_PROGRESS',
      `Order ${order.merchantOrderId} already has a refund in progress; wait until it is COMPLETED or FAILED.`,
    );
  }
  const refunded = siblings.filter((r) => r.state !== 'FAILED').reduce((sum, r) => sum + r.amount, 0);
  if (refunded + input.amount > order.amount) {
    throw new PhonePeEmulatorError(
      400,
      'INVALID_REFUND_AMOUNT',
      `Refund of ${input.amount} paise would take order ${order.merchantOrderId} past its amount (${order.amount} paise, ${refunded} already refunded).`,
    );
  }
  const now = core.clock.now();
  const refund: RefundRecord = {
    merchantId: merchant.merchantId,
    merchantRefundId: input.merchantRefundId,
    refundId: core.ids.refundId(),
    originalMerchantOrderId: order.merchantOrderId,
    amount: input.amount,
    state: 'PENDING',
    createdAt: now,
    timestamp: now,
    confirmAt: now + core.config.refundConfirmAfterMs,
    settleAt: now + core.config.refundSettleAfterMs,
    transactionId: core.ids.transactionId(),
    utr: core.ids.utr(),
  };
  core.state.refunds.set(key, refund);
  return refund;
}

function emitRefund(core: EmulatorCore, refund: RefundRecord, event: string): void {
  const order = core.state.orders.get(scopedKey(refund.merchantId, refund.originalMerchantOrderId));
  emitWebhook(
    core,
    refund.merchantId,
    event,
    refundView(refund, order, { shape: core.config.responseShape, webhook: true }),
  );
}

function assertOpen(refund: RefundRecord): void {
  if (refund.state === 'PENDING' || refund.state === 'CONFIRMED') return;
  throw new PhonePeEmulatorError(
    409,
    'INVALID_REFUND_STATE',
    `Refund ${refund.merchantRefundId} is already ${refund.state}; a terminal refund does not change.`,
  );
}

/** PENDING → CONFIRMED (`pg.refund.accepted`, docs/phonepe-protocol.md#webhook-events). */
export function confirmRefund(core: EmulatorCore, refund: RefundRecord, at = core.clock.now()): void {
  if (refund.state !== 'PENDING') return;
  refund.state = 'CONFIRMED';
  refund.timestamp = at;
  emitRefund(core, refund, 'pg.refund.accepted');
}

/** → COMPLETED (`pg.refund.completed`), confirming first if it was still PENDING. */
export function completeRefund(core: EmulatorCore, refund: RefundRecord, at = core.clock.now()): void {
  assertOpen(refund);
  confirmRefund(core, refund, at);
  refund.state = 'COMPLETED';
  refund.timestamp = at;
  emitRefund(core, refund, 'pg.refund.completed');
}

/** → FAILED (`pg.refund.failed`); the merchant retries with a new merchantRefundId (docs/phonepe-protocol.md#refund-states). */
export function failRefund(
  core: EmulatorCore,
  refund: RefundRecord,
  failure: FailureDetails,
  at = core.clock.now(),
): void {
  assertOpen(refund);
  refund.state = 'FAILED';
  refund.failure = failure;
  refund.timestamp = at;
  emitRefund(core, refund, 'pg.refund.failed');
}

/** The merchant's refund, or 400 `REFUND_NOT_FOUND` (docs/phonepe-protocol.md#unsettled-unknown-order). */
export function requireRefund(core: EmulatorCore, merchantId: string, merchantRefundId: string): RefundRecord {
  const refund = core.state.refunds.get(scopedKey(merchantId, merchantRefundId));
  if (!refund) throw unknownRefund();
  return refund;
}

/** The order a refund belongs to. */
export function findOrderForRefund(core: EmulatorCore, refund: RefundRecord): OrderRecord | undefined {
  return core.state.orders.get(scopedKey(refund.merchantId, refund.originalMerchantOrderId));
}
