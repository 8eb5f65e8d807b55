import { type PhonePeClientOptions, resolveClientOptions } from './client-options.js';
import { orderCreationCheck, sendCreating } from './outcome.js';
import { PHONEPE_PATHS } from './phonepe-paths.js';
import {
  isCheckoutSetupRequest,
  type PayRequest,
  payRequestSchema,
  type RefundRequest,
  refundRequestSchema,
  type SdkOrderRequest,
  sdkOrderRequestSchema,
  type SubscriptionCheckoutSetupRequest,
  validateCheckoutSetup,
  validatePathId,
  validateRequest,
} from './requests.js';
import {
  type OrderStatus,
  orderStatusSchema,
  type PayResponse,
  payResponseSchema,
  type RefundResponse,
  refundResponseSchema,
  type RefundStatus,
  refundStatusSchema,
  type SdkOrderResponse,
  sdkOrderResponseSchema,
} from './responses.js';
import { SubscriptionsApi, type PhonePeSubscriptions } from './subscriptions-api.js';
import {
  ApiRequester,
  type ClientTelemetry,
  createClientTelemetry,
  createHttpSend,
  pgGet,
  pgPost,
} from './api-requester.js';
import { tokenCall, TokenManager } from './token-manager.js';

/** Options of {@link PhonePeClient.getOrderStatus}. */
export interface OrderStatusOptions {
  /** All payment attempts instead of only the latest (`details=true`). @default false */
  details?: boolean;
  /** Add `errorContext` to FAILED orders (`errorContext=true`). @default false */
  errorContext?: boolean;
}

/**
 * A typed client for PhonePe's v2 APIs: standard checkout, order and transaction status,
 * refunds and UPI autopay subscriptions (`client.subscriptions`). Each instance has its own
 * OAuth token cache; any number of clients with different credentials can share a process.
 *
 * Requests are validated before sending (PhonePeValidationError, no network call); responses
 * are parsed leniently (unknown fields and states kept). Status calls are retried on network
 * errors, timeouts, 429 and 5xx; creating calls are never re-sent blindly — see
 * PhonePeOutcomeUnknownError.
 *
 * @example
 * const phonepe = new PhonePeClient({ clientId, clientSecret, clientVersion: '1', env: 'SANDBOX' });
 * const { redirectUrl } = await phonepe.pay({
 *   merchantOrderId: 'ord_1', amount: 49900,
 *   paymentFlow: { type: 'PG_CHECKOUT', merchantUrls: { redirectUrl: 'https://app.example/return?o=ord_1' } },
 * });
 */
export class PhonePeClient {
  /** UPI autopay: setup, status, notify, execute, redemption status, cancel. */
  readonly subscriptions: PhonePeSubscriptions;
  /** The API client id this client signs in with (not a secret): the PhonePe account the billing rows record. */
  readonly clientId: string;
  readonly #requester: ApiRequester;
  readonly #telemetry: ClientTelemetry;

  constructor(options: PhonePeClientOptions) {
    const resolved = resolveClientOptions(options);
    const telemetry = createClientTelemetry(resolved.logger, resolved.onEvent);
    const requester = new ApiRequester({
      send: createHttpSend(resolved),
      baseUrls: resolved.baseUrls,
      retry: resolved.retry,
      sleep: resolved.sleep,
      clock: resolved.clock,
      telemetry,
    });
    const credentials = {
      clientId: resolved.clientId,
      clientSecret: resolved.clientSecret,
      clientVersion: resolved.clientVersion,
    };
    requester.useAuthorization(
      new TokenManager({
        fetchToken: () => requester.call(tokenCall(credentials)),
        clock: resolved.clock,
        telemetry,
        clientId: resolved.clientId,
      }),
    );
    this.clientId = resolved.clientId;
    this.#requester = requester;
    this.#telemetry = telemetry;
    this.subscriptions = new SubscriptionsApi({ requester, telemetry });
  }

  /**
   * Creates a standard-checkout order (`POST /checkout/v2/pay`); send the payer to
   * `redirectUrl`, unmodified. `paymentFlow.type` defaults to `PG_CHECKOUT`.
   * After a timeout, network error or 5xx the order status is checked and a
   * PhonePeOutcomeUnknownError is thrown: `created: true` (the URL is lost — use a new
   * merchantOrderId), `false` (safe to retry with the same id) or `null` (unknown).
   *
   * @example
   * const { redirectUrl } = await client.pay({ merchantOrderId: 'ord_1', amount: 49900,
   *   paymentFlow: { merchantUrls: { redirectUrl: 'https://app.example/return?o=ord_1' } } });
   */
  async pay(request: PayRequest): Promise<PayResponse> {
    validateRequest('pay', payRequestSchema, request);
    const body = { ...request, paymentFlow: { ...request.paymentFlow, type: 'PG_CHECKOUT' } };
    return sendCreating(
      () => this.#requester.call(pgPost('pay', PHONEPE_PATHS.pay, body, payResponseSchema)),
      orderCreationCheck<PayResponse>({
        operation: 'pay',
        merchantOrderId: request.merchantOrderId,
        lost: 'payment URL (redirectUrl)',
        lookup: () => this.getOrderStatus(request.merchantOrderId),
      }),
      this.#telemetry,
    );
  }

  /**
   * The order's state and payment attempts (`GET /checkout/v2/order/{merchantOrderId}/status`).
   * The truth about a payment: never trust the redirect alone. Retried on transient failures.
   *
   * @example
   * const order = await client.getOrderStatus('ord_1', { details: true });
   * if (order.state === 'COMPLETED') grantAccess();
   */
  async getOrderStatus(merchantOrderId: string, options: OrderStatusOptions = {}): Promise<OrderStatus> {
    validatePathId('getOrderStatus', 'merchantOrderId', merchantOrderId);
    const query: Record<string, string> = {};
    if (options.details === true) query.details = 'true';
    if (options.errorContext === true) query.errorContext = 'true';
    const path = PHONEPE_PATHS.orderStatus(merchantOrderId);
    return this.#requester.call(
      pgGet('getOrderStatus', path, orderStatusSchema, Object.keys(query).length > 0 ? query : undefined),
    );
  }

  /**
   * One payment attempt by PhonePe's transactionId (`GET /checkout/v2/transaction/{id}/status`);
   * the answer has the order-status shape, the attempt in `paymentDetails[0]`.
   *
   * @example
   * const attempt = (await client.getTransactionStatus('OM2501011234')).paymentDetails?.[0];
   */
  async getTransactionStatus(transactionId: string): Promise<OrderStatus> {
    validatePathId('getTransactionStatus', 'transactionId', transactionId);
    return this.#requester.call(
      pgGet('getTransactionStatus', PHONEPE_PATHS.transactionStatus(transactionId), orderStatusSchema),
    );
  }

  /**
   * Creates an order for PhonePe's mobile SDK (`POST /checkout/v2/sdk/order`) and returns its
   * `token`. Takes a one-time payment (`PG_CHECKOUT`, the default) or a checkout-family autopay
   * setup (`SUBSCRIPTION_CHECKOUT_SETUP`). Outcome-unknown handling as for {@link pay}.
   *
   * @example
   * const { token } = await client.createSdkOrder({ merchantOrderId: 'ord_2', amount: 49900, paymentFlow: {} });
   */
  async createSdkOrder(request: SdkOrderRequest | SubscriptionCheckoutSetupRequest): Promise<SdkOrderResponse> {
    let body: unknown;
    if (isCheckoutSetupRequest(request)) {
      validateCheckoutSetup('createSdkOrder', request);
      body = request;
    } else {
      validateRequest('createSdkOrder', sdkOrderRequestSchema, request);
      body = { ...request, paymentFlow: { ...request.paymentFlow, type: 'PG_CHECKOUT' } };
    }
    return sendCreating(
      () => this.#requester.call(pgPost('createSdkOrder', PHONEPE_PATHS.sdkOrder, body, sdkOrderResponseSchema)),
      orderCreationCheck<SdkOrderResponse>({
        operation: 'createSdkOrder',
        merchantOrderId: request.merchantOrderId,
        lost: 'SDK token',
        lookup: () => this.getOrderStatus(request.merchantOrderId),
      }),
      this.#telemetry,
    );
  }

  /**
   * Refunds all or part of a COMPLETED order (`POST /payments/v2/refund`). After a timeout,
   * network error or 5xx the refund status is asked: if PhonePe has the refund its
   * `{ refundId, amount, state }` is returned; if not, PhonePeOutcomeUnknownError `created: false`
   * (safe to retry with the same merchantRefundId); if the check fails too, `created: null`.
   *
   * @example
   * const { refundId, state } = await client.refund({ merchantRefundId: 'rf_1', originalMerchantOrderId: 'ord_1', amount: 10000 });
   */
  async refund(request: RefundRequest): Promise<RefundResponse> {
    validateRequest('refund', refundRequestSchema, request);
    return sendCreating(
      () => this.#requester.call(pgPost('refund', PHONEPE_PATHS.refund, request, refundResponseSchema)),
      {
        operation: 'refund',
        id: { merchantRefundId: request.merchantRefundId },
        statusMethod: 'getRefundStatus',
        lookup: () => this.getRefundStatus(request.merchantRefundId),
        decide: (status) => status,
      },
      this.#telemetry,
    );
  }

  /**
   * A refund's state (`GET /payments/v2/refund/{merchantRefundId}/status`): PENDING → CONFIRMED
   * → COMPLETED | FAILED. After FAILED, refund again with a new merchantRefundId.
   *
   * @example
   * const refund = await client.getRefundStatus('rf_1');
   */
  async getRefundStatus(merchantRefundId: string): Promise<RefundStatus> {
    validatePathId('getRefundStatus', 'merchantRefundId', merchantRefundId);
    return this.#requester.call(
      pgGet('getRefundStatus', PHONEPE_PATHS.refundStatus(merchantRefundId), refundStatusSchema),
    );
  }
}
