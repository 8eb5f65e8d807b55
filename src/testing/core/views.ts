import { type EmulatorCore, scopedKey } from './emulator-core.js';
import type {
  OrderRecord,
  PaymentAttemptRecord,
  PaymentMode,
  RefundRecord,
  ResponseShape,
  SubscriptionRecord,
} from './records.js';

/** The instrument and rail PhonePe reports for a payment mode (docs/phonepe-protocol.md#order-status), with masked test values. */
export function instrumentAndRail(mode: PaymentMode, transactionId: string, utr: string) {
  const upiRail = { type: 'UPI', utr, upiTransactionId: `YBL${utr}`, vpa: '99****99@ybl' };
  const account = {
    type: 'ACCOUNT',
    maskedAccountNumber: 'XXXXXXXX4242',
    ifsc: 'HDFC0000001',
    accountHolderName: 'Emulator Test Payer',
    accountType: 'SAVINGS',
  };
  switch (mode) {
    case 'CARD':
      return {
        instrument: {
          type: 'DEBIT_CARD',
          bankTransactionId: utr,
          bankId: 'HDFC',
          brn: utr,
          arn: `${utr}00`,
          cardNetwork: 'VISA',
          maskedCardNumber: 'XXXXXXXXXXXX4242',
        },
        rail: { type: 'PG', transactionId, authorizationCode: utr.slice(0, 6), serviceTransactionId: `SVC${utr}` },
      };
    case 'NET_BANKING':
      return {
        instrument: { type: 'NET_BANKING', bankTransactionId: utr, bankId: 'SBIN', brn: utr, arn: `${utr}00` },
        rail: { type: 'PG', transactionId, authorizationCode: utr.slice(0, 6), serviceTransactionId: `SVC${utr}` },
      };
    case 'UPI_AUTO_PAY':
      return { instrument: account, rail: { ...upiRail, umn: `UMN${utr}@ybl` } };
    default:
      return { instrument: account, rail: upiRail };
  }
}

/**
 * One `paymentDetails[]` entry (docs/phonepe-protocol.md#order-status). `minimal` has no
 * `payableAmount`, `feeAmount` or `currency`, as in PhonePe's order-status fixtures.
 */
export function paymentAttemptView(attempt: PaymentAttemptRecord, shape: ResponseShape): Record<string, unknown> {
  const view: Record<string, unknown> = {
    transactionId: attempt.transactionId,
    paymentMode: attempt.paymentMode,
    timestamp: attempt.timestamp,
    amount: attempt.amount,
    ...(shape === 'documented' ? { payableAmount: attempt.amount, feeAmount: 0, currency: 'INR' } : {}),
    state: attempt.state,
  };
  if (attempt.failure) {
    view.errorCode = attempt.failure.errorCode;
    view.detailedErrorCode = attempt.failure.detailedErrorCode;
  }
  if (attempt.state !== 'FAILED')
    Object.assign(view, instrumentAndRail(attempt.paymentMode, attempt.transactionId, attempt.utr));
  return view;
}

export interface OrderViewOptions {
  /** All attempts instead of the latest only (docs/phonepe-protocol.md#order-status `details`). */
  details?: boolean;
  /** Add `errorContext` to a FAILED order (docs/phonepe-protocol.md#order-status `errorContext`). */
  errorContext?: boolean;
  /** Only this attempt (transaction status, docs/phonepe-protocol.md#transaction-status). */
  transactionId?: string;
  /** @default the emulator's `responseShape` */
  shape?: ResponseShape;
  /** A webhook payload: it names the merchant and the order, as PhonePe's webhook samples do. */
  webhook?: boolean;
}

/**
 * The order-status body (docs/phonepe-protocol.md#order-status); also the payload of order webhooks.
 * `minimal` leaves out what PhonePe's own status fixtures leave out — `merchantId`,
 * `merchantOrderId`, `currency`, `payableAmount`, `feeAmount` — and keeps `orderId`, `state`,
 * `amount` and `expireAt`, which its docs show; a webhook payload keeps `merchantId` and
 * `merchantOrderId` in both shapes (PhonePe's webhook samples carry them).
 */
export function orderView(
  core: EmulatorCore,
  order: OrderRecord,
  options: OrderViewOptions = {},
): Record<string, unknown> {
  const documented = (options.shape ?? core.config.responseShape) === 'documented';
  const view: Record<string, unknown> = {
    ...(documented || options.webhook ? { merchantId: order.merchantId, merchantOrderId: order.merchantOrderId } : {}),
    orderId: order.orderId,
    state: order.state,
    amount: order.amount,
    ...(documented ? { currency: 'INR', payableAmount: order.amount, feeAmount: 0 } : {}),
    expireAt: order.expireAt,
  };
  if (order.failure) {
    view.errorCode = order.failure.errorCode;
    view.detailedErrorCode = order.failure.detailedErrorCode;
    if (options.errorContext && order.state === 'FAILED') view.errorContext = { ...order.failure };
  }
  if (order.metaInfo) view.metaInfo = { ...order.metaInfo };
  const flow = paymentFlowView(core, order);
  if (flow) view.paymentFlow = flow;
  view.paymentDetails = selectAttempts(order, options).map((attempt) =>
    paymentAttemptView(attempt, documented ? 'documented' : 'minimal'),
  );
  return view;
}

function selectAttempts(order: OrderRecord, options: OrderViewOptions) {
  if (options.transactionId) return order.attempts.filter((a) => a.transactionId === options.transactionId);
  if (options.details) return order.attempts;
  return order.attempts.slice(-1);
}

/** `paymentFlow` echo: subscription orders only (docs/phonepe-protocol.md#order-status, #autopay-api-setup, #notify). */
function paymentFlowView(core: EmulatorCore, order: OrderRecord): Record<string, unknown> | undefined {
  if (order.kind === 'CHECKOUT' || !order.merchantSubscriptionId) return undefined;
  if (order.kind === 'REDEMPTION' && order.redemption) {
    const r = order.redemption;
    return {
      type: order.flowType,
      merchantSubscriptionId: order.merchantSubscriptionId,
      redemptionRetryStrategy: r.redemptionRetryStrategy,
      autoDebit: r.autoDebit,
      ...(r.notifiedAt !== undefined
        ? { validAfter: r.validAfter, validUpto: r.validUpto, notifiedAt: r.notifiedAt }
        : {}),
    };
  }
  const sub = core.state.subscriptions.get(scopedKey(order.merchantId, order.merchantSubscriptionId));
  if (!sub) return undefined;
  return {
    type: order.flowType,
    merchantSubscriptionId: sub.merchantSubscriptionId,
    subscriptionId: sub.subscriptionId,
    authWorkflowType: sub.authWorkflowType,
    amountType: sub.amountType,
    maxAmount: sub.maxAmount,
    frequency: sub.frequency,
    expireAt: sub.expireAt,
    ...(sub.productType ? { productType: sub.productType } : {}),
  };
}

export interface RefundViewOptions {
  shape: ResponseShape;
  /** A webhook payload rather than a status answer. */
  webhook?: boolean;
}

/**
 * The refund-status body (docs/phonepe-protocol.md#refund-status), also the payload of refund
 * webhooks. `minimal` is the shape of every SDK's model and PhonePe's own fixture: no `refundId`,
 * `timestamp`, top-level error codes or `splitInstruments`, and an attempt without instrument or
 * rail — except in a `pg.refund.completed` payload, where PhonePe's fixture shows them. `documented`
 * adds what the doc samples show. The attempt's state follows the refund's (`CONFIRMED` included).
 */
export function refundView(
  refund: RefundRecord,
  order: OrderRecord | undefined,
  options: RefundViewOptions,
): Record<string, unknown> {
  const documented = options.shape === 'documented';
  const mode: PaymentMode = order?.attempts.find((a) => a.state === 'COMPLETED')?.paymentMode ?? 'UPI_INTENT';
  const { instrument, rail } = instrumentAndRail(mode, refund.transactionId, refund.utr);
  const withInstrument = documented || (options.webhook === true && refund.state === 'COMPLETED');
  const detail: Record<string, unknown> = {
    transactionId: refund.transactionId,
    paymentMode: mode,
    timestamp: refund.timestamp,
    amount: refund.amount,
    state: refund.state,
    ...(withInstrument ? { instrument, rail } : {}),
  };
  const view: Record<string, unknown> = {
    merchantId: refund.merchantId,
    merchantRefundId: refund.merchantRefundId,
    originalMerchantOrderId: refund.originalMerchantOrderId,
    ...(documented ? { refundId: refund.refundId } : {}),
    amount: refund.amount,
    state: refund.state,
    ...(documented ? { timestamp: refund.timestamp } : {}),
  };
  if (refund.failure) {
    if (documented) {
      view.errorCode = refund.failure.errorCode;
      view.detailedErrorCode = refund.failure.detailedErrorCode;
    }
    detail.errorCode = refund.failure.errorCode;
    detail.detailedErrorCode = refund.failure.detailedErrorCode;
  }
  view.paymentDetails = [detail];
  if (documented) view.splitInstruments = [{ instrument, rail, amount: refund.amount }];
  return view;
}

/**
 * The subscription-status body (docs/phonepe-protocol.md#subscription-status), also the payload of
 * mandate state-change webhooks. `minimal` leaves out what no SDK models and PhonePe's fixtures never
 * carry — `productType`, `authInstrumentType`, `currency`, `merchantId` — and keeps the terms and the
 * pause dates (PhonePe's `subscription.cancelled` fixture has them). `documented` adds the doc
 * samples' fields, and `merchantId` on webhooks.
 */
export function subscriptionView(
  sub: SubscriptionRecord,
  shape: ResponseShape,
  webhook = false,
): Record<string, unknown> {
  const documented = shape === 'documented';
  return {
    ...(documented && webhook ? { merchantId: sub.merchantId } : {}),
    merchantSubscriptionId: sub.merchantSubscriptionId,
    subscriptionId: sub.subscriptionId,
    state: sub.state,
    ...(documented ? { productType: sub.productType, authInstrumentType: null } : {}),
    authWorkflowType: sub.authWorkflowType,
    amountType: sub.amountType,
    ...(documented ? { currency: 'INR' } : {}),
    maxAmount: sub.maxAmount,
    frequency: sub.frequency,
    expireAt: sub.expireAt,
    pauseStartDate: sub.pauseStartDate,
    pauseEndDate: sub.pauseEndDate,
  };
}
