import type { z } from 'zod';
import { PhonePeValidationError } from './errors.js';
import { orderCreationCheck, type OutcomeCheck, outcomeUnknown, redemptionCheck, sendCreating } from './outcome.js';
import { resolveFamily, SUBSCRIPTION_PATHS, type SubscriptionFamily } from './phonepe-paths.js';
import {
  type NotifyRedemptionRequest,
  notifyRedemptionRequestSchema,
  type SubscriptionApiSetupRequest,
  type SubscriptionCheckoutSetupRequest,
  type SubscriptionSetupRequest,
  validateApiSetup,
  validateCheckoutSetup,
  validatePathId,
  validateRequest,
} from './requests.js';
import {
  type ExecuteRedemptionResponse,
  executeRedemptionResponseSchema,
  type NotifyRedemptionResponse,
  notifyRedemptionResponseSchema,
  type OrderStatus,
  orderStatusSchema,
  type PayResponse,
  payResponseSchema,
  type SubscriptionApiSetupResponse,
  subscriptionApiSetupResponseSchema,
  type SubscriptionStatus,
  subscriptionStatusSchema,
} from './responses.js';
import { type ApiRequester, type ClientTelemetry, pgGet, pgPost } from './api-requester.js';

/**
 * Picks the autopay family of a call that cannot tell from its input. The default is
 * `'checkout'` (hosted-page autopay, what the billing layer uses); pass `{ family: 'api' }` for
 * mandates set up through `/subscriptions/v2/setup`. Whether the two families' endpoints are
 * interchangeable for one subscription is unsettled (docs/phonepe-protocol.md#unsettled-path-family): use the
 * family the mandate was set up with.
 *
 * @example
 * await client.subscriptions.getStatus('sub_1', { family: 'api' });
 */
export interface SubscriptionCallOptions {
  /** @default 'checkout' */
  family?: SubscriptionFamily;
}

/** What {@link SubscriptionsApi} is built from (internal; created by PhonePeClient). */
export interface PhonePeSubscriptionsDeps {
  requester: ApiRequester;
  telemetry: ClientTelemetry;
}

/**
 * UPI autopay (docs/phonepe-protocol.md#autopay), reached as `client.subscriptions`. Both families are
 * supported: `setup` and `notifyRedemption` pick theirs from `paymentFlow.type`; the other
 * calls take `{ family }` (default `'checkout'`).
 *
 * @example
 * const sub = await client.subscriptions.getStatus('sub_1');
 * if (sub.state === 'ACTIVE') await client.subscriptions.notifyRedemption({ merchantOrderId: 'cycle_2', amount: 49900,
 *   paymentFlow: { merchantSubscriptionId: 'sub_1' } });
 */
export class SubscriptionsApi {
  readonly #requester: ApiRequester;
  readonly #telemetry: ClientTelemetry;

  constructor(deps: PhonePeSubscriptionsDeps) {
    this.#requester = deps.requester;
    this.#telemetry = deps.telemetry;
  }

  /**
   * Starts a mandate. `SUBSCRIPTION_CHECKOUT_SETUP` → `POST /checkout/v2/pay` (hosted page,
   * answer has `redirectUrl`); `SUBSCRIPTION_SETUP` → `POST /subscriptions/v2/setup` (UPI
   * intent/collect, answer has `intentUrl`…). Outcome-unknown handling as for `client.pay`.
   *
   * @example
   * const { redirectUrl } = await client.subscriptions.setup({ merchantOrderId: 'setup_1', amount: 49900, paymentFlow: {
   *   type: 'SUBSCRIPTION_CHECKOUT_SETUP', merchantUrls: { redirectUrl: 'https://app.example/return' },
   *   subscriptionDetails: { merchantSubscriptionId: 'sub_1', authWorkflowType: 'TRANSACTION', amountType: 'FIXED',
   *     maxAmount: 49900, frequency: 'MONTHLY' } } });
   */
  setup(request: SubscriptionCheckoutSetupRequest): Promise<PayResponse>;
  setup(request: SubscriptionApiSetupRequest): Promise<SubscriptionApiSetupResponse>;
  setup(request: SubscriptionSetupRequest): Promise<PayResponse | SubscriptionApiSetupResponse>;
  async setup(request: SubscriptionSetupRequest): Promise<PayResponse | SubscriptionApiSetupResponse> {
    const operation = 'subscriptions.setup';
    const type: unknown = (request as { paymentFlow?: { type?: unknown } } | undefined)?.paymentFlow?.type;
    if (type === 'SUBSCRIPTION_CHECKOUT_SETUP') {
      const checkout = request as SubscriptionCheckoutSetupRequest;
      validateCheckoutSetup(operation, checkout);
      return this.#createOrder(
        'checkout',
        checkout.merchantOrderId,
        checkout,
        payResponseSchema,
        'payment URL (redirectUrl)',
      );
    }
    if (type === 'SUBSCRIPTION_SETUP') {
      const api = request as SubscriptionApiSetupRequest;
      validateApiSetup(operation, api);
      return this.#createOrder('api', api.merchantOrderId, api, subscriptionApiSetupResponseSchema, 'intent URL');
    }
    throw new PhonePeValidationError({
      operation,
      field: 'paymentFlow.type',
      problem: 'must be SUBSCRIPTION_CHECKOUT_SETUP or SUBSCRIPTION_SETUP',
    });
  }

  /**
   * The mandate's state (`ACTIVE`, `PAUSED`, `REVOKED`, `CANCELLED`…). Retried on transient failures.
   *
   * @example
   * const { state } = await client.subscriptions.getStatus('sub_1');
   */
  async getStatus(merchantSubscriptionId: string, options: SubscriptionCallOptions = {}): Promise<SubscriptionStatus> {
    validatePathId('subscriptions.getStatus', 'merchantSubscriptionId', merchantSubscriptionId);
    const paths = SUBSCRIPTION_PATHS[resolveFamily('subscriptions.getStatus', options.family)];
    return this.#requester.call(
      pgGet(
        'subscriptions.getStatus',
        paths.subscriptionStatus(merchantSubscriptionId),
        subscriptionStatusSchema,
        paths.statusQuery,
      ),
    );
  }

  /**
   * Sends the pre-debit notification for one cycle. `paymentFlow.type`
   * `SUBSCRIPTION_CHECKOUT_REDEMPTION` (default) → `/checkout/v2/subscriptions/notify`,
   * `SUBSCRIPTION_REDEMPTION` → `/subscriptions/v2/notify`. After a timeout, network error or
   * 5xx the redemption order's status is asked: found → its `{ orderId, state, expireAt }` is
   * returned; not found → PhonePeOutcomeUnknownError `created: false`; check failed → `created: null`.
   *
   * @example
   * await client.subscriptions.notifyRedemption({ merchantOrderId: 'cycle_2', amount: 49900,
   *   paymentFlow: { type: 'SUBSCRIPTION_CHECKOUT_REDEMPTION', merchantSubscriptionId: 'sub_1', autoDebit: false } });
   */
  async notifyRedemption(request: NotifyRedemptionRequest): Promise<NotifyRedemptionResponse> {
    const operation = 'subscriptions.notifyRedemption';
    validateRequest(operation, notifyRedemptionRequestSchema, request);
    const type = request.paymentFlow.type ?? 'SUBSCRIPTION_CHECKOUT_REDEMPTION';
    const paths = SUBSCRIPTION_PATHS[type === 'SUBSCRIPTION_REDEMPTION' ? 'api' : 'checkout'];
    const body = { ...request, paymentFlow: { ...request.paymentFlow, type } };
    const check: OutcomeCheck<OrderStatus, NotifyRedemptionResponse> = {
      operation,
      id: { merchantOrderId: request.merchantOrderId },
      statusMethod: 'subscriptions.getRedemptionStatus',
      lookup: () => this.#orderStatus(paths.orderStatus(request.merchantOrderId), paths.statusQuery),
      decide: (status, failure, kind) => {
        if (status.orderId) return { orderId: status.orderId, state: status.state, expireAt: status.expireAt };
        throw outcomeUnknown(check, failure, {
          kind,
          created: true,
          existing: status,
          tail: 'PhonePe has the notice, but its status did not name the order; read it again later.',
        });
      },
    };
    return sendCreating(
      () => this.#requester.call(pgPost(operation, paths.notify, body, notifyRedemptionResponseSchema)),
      check,
      this.#telemetry,
    );
  }

  /**
   * Debits a NOTIFIED redemption (≥24 h after the notification; not for `autoDebit`). After a
   * timeout, network error or 5xx the redemption status is asked: if it shows a debit attempt,
   * `{ state, transactionId }` is returned; otherwise PhonePeOutcomeUnknownError `created: false`
   * (safe to call again) or `created: null` (check failed).
   *
   * @example
   * const { transactionId } = await client.subscriptions.executeRedemption('cycle_2');
   */
  async executeRedemption(
    merchantOrderId: string,
    options: SubscriptionCallOptions = {},
  ): Promise<ExecuteRedemptionResponse> {
    const operation = 'subscriptions.executeRedemption';
    validatePathId(operation, 'merchantOrderId', merchantOrderId);
    const paths = SUBSCRIPTION_PATHS[resolveFamily(operation, options.family)];
    const check = redemptionCheck(merchantOrderId, () =>
      this.#orderStatus(paths.orderStatus(merchantOrderId), paths.statusQuery),
    );
    return sendCreating(
      () => this.#requester.call(pgPost(operation, paths.redeem, { merchantOrderId }, executeRedemptionResponseSchema)),
      check,
      this.#telemetry,
    );
  }

  /**
   * The redemption order's status on the family's order-status path (state, attempts,
   * `paymentFlow` with `validAfter`/`validUpto`/`notifiedAt`).
   *
   * @example
   * const redemption = await client.subscriptions.getRedemptionStatus('cycle_2');
   */
  async getRedemptionStatus(merchantOrderId: string, options: SubscriptionCallOptions = {}): Promise<OrderStatus> {
    validatePathId('subscriptions.getRedemptionStatus', 'merchantOrderId', merchantOrderId);
    const paths = SUBSCRIPTION_PATHS[resolveFamily('subscriptions.getRedemptionStatus', options.family)];
    return this.#orderStatus(
      paths.orderStatus(merchantOrderId),
      paths.statusQuery,
      'subscriptions.getRedemptionStatus',
    );
  }

  /**
   * Cancels the mandate (PhonePe answers 204; any body is ignored). Confirm with getStatus
   * (`CANCELLED`). Not retried automatically; calling it again is harmless.
   *
   * @example
   * await client.subscriptions.cancel('sub_1');
   */
  async cancel(merchantSubscriptionId: string, options: SubscriptionCallOptions = {}): Promise<void> {
    validatePathId('subscriptions.cancel', 'merchantSubscriptionId', merchantSubscriptionId);
    const paths = SUBSCRIPTION_PATHS[resolveFamily('subscriptions.cancel', options.family)];
    await this.#requester.call(
      pgPost('subscriptions.cancel', paths.cancel(merchantSubscriptionId), undefined, undefined),
    );
  }

  #createOrder<T>(
    familyName: SubscriptionFamily,
    merchantOrderId: string,
    body: unknown,
    schema: z.ZodType<T>,
    lost: string,
  ): Promise<T> {
    const paths = SUBSCRIPTION_PATHS[familyName];
    return sendCreating(
      () => this.#requester.call(pgPost('subscriptions.setup', paths.setup, body, schema)),
      orderCreationCheck<T>({
        operation: 'subscriptions.setup',
        merchantOrderId,
        lost,
        lookup: () => this.#orderStatus(paths.orderStatus(merchantOrderId), paths.statusQuery),
      }),
      this.#telemetry,
    );
  }

  #orderStatus(
    path: string,
    query: Record<string, string> | undefined,
    operation = 'subscriptions.getOrderStatus',
  ): Promise<OrderStatus> {
    return this.#requester.call(pgGet(operation, path, orderStatusSchema, query));
  }
}

/**
 * The subscription (UPI autopay) calls of a `PhonePeClient`: `client.subscriptions`. A type
 * only; the client builds it.
 */
export type PhonePeSubscriptions = InstanceType<typeof SubscriptionsApi>;
