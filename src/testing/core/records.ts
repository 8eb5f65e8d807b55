import type { SUBSCRIPTION_STATES } from '../../client/wire-values.js';

/** What the emulator stores. Wire values are PhonePe's own (docs/phonepe-protocol.md#order-status, #refund-states, #subscription-states). */

/**
 * What happens to a new order or redemption when nobody acts on it (exported as `EMULATOR_OUTCOMES`).
 *
 * @example
 * emu.setOutcome('failure'); // every new order fails at once
 */
export const OUTCOMES = ['manual', 'success', 'failure', 'pending'] as const;
/** One of {@link OUTCOMES}. */
export type EmulatorOutcome = (typeof OUTCOMES)[number];

export const ORDER_STATES = ['PENDING', 'COMPLETED', 'FAILED', 'NOTIFICATION_IN_PROGRESS', 'NOTIFIED'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const ATTEMPT_STATES = ['PENDING', 'COMPLETED', 'FAILED'] as const;
export type AttemptState = (typeof ATTEMPT_STATES)[number];

/**
 * Payment modes a payer can pick on the hosted page or a control call (docs/phonepe-protocol.md#order-status).
 *
 * @example
 * await emu.completeOrder('ord_1', { paymentMode: 'CARD' });
 */
export const PAYER_PAYMENT_MODES = ['UPI_INTENT', 'UPI_COLLECT', 'UPI_QR', 'CARD', 'NET_BANKING'] as const;
/** How the simulated payer pays: one of `PAYER_PAYMENT_MODES`. */
export type PayerPaymentMode = (typeof PAYER_PAYMENT_MODES)[number];
export type PaymentMode = PayerPaymentMode | 'UPI_AUTO_PAY';

/** The mandate states the emulator moves through: PhonePe's known ones (`SUBSCRIPTION_STATES` of the client). */
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number];

export const REFUND_STATES = ['PENDING', 'CONFIRMED', 'COMPLETED', 'FAILED'] as const;
export type RefundState = (typeof REFUND_STATES)[number];

/** The two autopay path families: `/checkout/v2/*` and `/subscriptions/v2/*` (docs/phonepe-protocol.md#autopay). */
export const API_FAMILIES = ['checkout', 'subscriptions'] as const;
/** Which path family created a record or serves a request. */
export type ApiFamily = (typeof API_FAMILIES)[number];

/**
 * How much an API answer carries: `minimal` as PhonePe's SDK fixtures show it, `documented` as its
 * doc samples do (docs/phonepe-protocol.md#order-status, #refund-status, #subscription-status).
 */
export const RESPONSE_SHAPES = ['minimal', 'documented'] as const;
/** One of {@link RESPONSE_SHAPES}. */
export type ResponseShape = (typeof RESPONSE_SHAPES)[number];
export type OrderKind = 'CHECKOUT' | 'SUBSCRIPTION_SETUP' | 'REDEMPTION';

/** Why a payment failed (docs/phonepe-protocol.md#errors payment failure codes). */
export interface FailureDetails {
  errorCode: string;
  detailedErrorCode: string;
  source?: string;
  stage?: string;
  description?: string;
}

export interface PaymentAttemptRecord {
  transactionId: string;
  paymentMode: PaymentMode;
  timestamp: number;
  amount: number;
  state: AttemptState;
  failure?: FailureDetails;
  utr: string;
}

export interface RedemptionDetails {
  redemptionRetryStrategy: string;
  autoDebit: boolean;
  /** True when the merchant gave `expireAt`; otherwise it follows `validUpto`. */
  explicitExpireAt: boolean;
  notifiedAt?: number;
  validAfter?: number;
  validUpto?: number;
}

export interface OrderRecord {
  merchantId: string;
  merchantOrderId: string;
  orderId: string;
  kind: OrderKind;
  family: ApiFamily;
  /** `paymentFlow.type` as sent (PG_CHECKOUT, SUBSCRIPTION_CHECKOUT_SETUP, SUBSCRIPTION_SETUP, …). */
  flowType: string;
  amount: number;
  state: OrderState;
  createdAt: number;
  expireAt: number;
  metaInfo?: Record<string, string>;
  redirectUrl?: string;
  cancelRedirectUrl?: string;
  attempts: PaymentAttemptRecord[];
  failure?: FailureDetails;
  /** Opens the hosted page (`/transact/uat_v2?token=…`); also the mobile SDK `token`. */
  pageToken: string;
  merchantSubscriptionId?: string;
  /** For `/subscriptions/v2/setup`: how the payer approves (UPI_INTENT or UPI_COLLECT). */
  setupPaymentMode?: PayerPaymentMode;
  redemption?: RedemptionDetails;
}

export interface SubscriptionRecord {
  merchantId: string;
  merchantSubscriptionId: string;
  subscriptionId: string;
  family: ApiFamily;
  state: SubscriptionState;
  authWorkflowType: string;
  amountType: string;
  maxAmount: number;
  frequency: string;
  productType: string | null;
  expireAt: number;
  pauseStartDate: number | null;
  pauseEndDate: number | null;
  setupMerchantOrderId: string;
  /** While `CANCEL_IN_PROGRESS`: when the cancel completes (virtual clock). */
  cancelCompletesAt?: number;
}

export interface RefundRecord {
  merchantId: string;
  merchantRefundId: string;
  refundId: string;
  originalMerchantOrderId: string;
  amount: number;
  state: RefundState;
  createdAt: number;
  /** Time of the last state change. */
  timestamp: number;
  confirmAt: number;
  settleAt: number;
  transactionId: string;
  utr: string;
  failure?: FailureDetails;
}

export interface TokenRecord {
  accessToken: string;
  merchantId: string;
  issuedAt: number;
  expiresAt: number;
}

export interface WebhookTarget {
  url: string;
  username: string;
  password: string;
}

export interface MerchantRecord {
  merchantId: string;
  clientId: string;
  clientSecret: string;
  clientVersion: string;
  outcome?: EmulatorOutcome;
  webhook?: WebhookTarget;
}

/** Mandate terms, as both setup families send them (docs/phonepe-protocol.md#autopay-checkout-setup `subscriptionDetails`, docs/phonepe-protocol.md#autopay-api-setup `paymentFlow`). */
export interface MandateInput {
  merchantSubscriptionId: string;
  authWorkflowType: string;
  amountType: string;
  maxAmount: number;
  frequency: string;
  productType?: string;
  expireAt?: number;
}
