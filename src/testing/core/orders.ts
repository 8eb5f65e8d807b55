import { PhonePeEmulatorError, unauthorized, unknownOrder, unknownSubscription } from '../errors.js';
import { type EmulatorCore, scopedKey } from './emulator-core.js';
import { applyOutcome } from './order-transitions.js';
import {
  DEFAULT_EXPIRE_AFTER_SECONDS,
  DEFAULT_SETUP_ORDER_TTL_MS,
  DEFAULT_SUBSCRIPTION_TTL_MS,
} from './protocol-defaults.js';
import type { ApiFamily, MandateInput, MerchantRecord, OrderRecord, SubscriptionRecord } from './records.js';

/** What every new order needs; the rest is filled in here. */
export type NewOrder = Omit<OrderRecord, 'orderId' | 'state' | 'createdAt' | 'attempts' | 'pageToken'> & {
  state?: OrderRecord['state'];
};

/**
 * Refuses a reused merchantOrderId the way PhonePe's integration guide documents it: HTTP 417,
 * `INVALID_TRANSACTION_ID`, `success: false` (docs/phonepe-protocol.md#checkout-pay; docs/phonepe-protocol.md#unsettled-duplicate-ids).
 */
export function assertNewOrderId(core: EmulatorCore, merchantId: string, merchantOrderId: string): void {
  if (core.state.orders.has(scopedKey(merchantId, merchantOrderId))) {
    throw new PhonePeEmulatorError(417, 'INVALID_TRANSACTION_ID', 'Order ID has already been used', { success: false });
  }
}

/** Refuses a reused merchantSubscriptionId (`DUPLICATE_REQUEST_ID`, per PhonePe's integration guide; docs/phonepe-protocol.md#unsettled-duplicate-ids). */
export function assertNewSubscriptionId(core: EmulatorCore, merchantId: string, merchantSubscriptionId: string): void {
  if (core.state.subscriptions.has(scopedKey(merchantId, merchantSubscriptionId))) {
    throw new PhonePeEmulatorError(417, 'DUPLICATE_REQUEST_ID', 'Subscription ID has already been used', {
      success: false,
    });
  }
}

/** Stores a new order (PENDING unless told otherwise) with a fresh PhonePe order id and page token. */
export function insertOrder(core: EmulatorCore, input: NewOrder): OrderRecord {
  assertNewOrderId(core, input.merchantId, input.merchantOrderId);
  const order: OrderRecord = {
    ...input,
    orderId: core.ids.orderId(),
    state: input.state ?? 'PENDING',
    createdAt: core.clock.now(),
    attempts: [],
    pageToken: core.ids.opaque(),
  };
  const key = scopedKey(order.merchantId, order.merchantOrderId);
  core.state.orders.set(key, order);
  core.state.pageTokens.set(order.pageToken, key);
  return order;
}

/** Stores a new mandate in ACTIVATION_IN_PROGRESS; its setup order's approval makes it ACTIVE. */
export function insertSubscription(
  core: EmulatorCore,
  input: Omit<SubscriptionRecord, 'subscriptionId' | 'state' | 'pauseStartDate' | 'pauseEndDate'>,
): SubscriptionRecord {
  const sub: SubscriptionRecord = {
    ...input,
    subscriptionId: core.ids.subscriptionId(),
    state: 'ACTIVATION_IN_PROGRESS',
    pauseStartDate: null,
    pauseEndDate: null,
  };
  core.state.subscriptions.set(scopedKey(sub.merchantId, sub.merchantSubscriptionId), sub);
  return sub;
}

/** The hosted page URL of an order (`/transact/uat_v2?token=…`, PhonePe's sandbox shape, docs/phonepe-protocol.md#sandbox). */
export function hostedPageUrl(core: EmulatorCore, order: OrderRecord): string {
  return `${core.publicUrl}/transact/uat_v2?token=${encodeURIComponent(order.pageToken)}`;
}

/** The merchant's order, or PhonePe's not-found error. */
export function requireOrder(core: EmulatorCore, merchantId: string, merchantOrderId: string): OrderRecord {
  const order = core.state.orders.get(scopedKey(merchantId, merchantOrderId));
  if (!order) throw unknownOrder();
  return order;
}

/** The order with this PhonePe transaction id, if it belongs to `merchantId`. */
export function findOrderByTransactionId(
  core: EmulatorCore,
  merchantId: string,
  transactionId: string,
): OrderRecord | undefined {
  const key = core.state.transactions.get(transactionId);
  const order = key ? core.state.orders.get(key) : undefined;
  return order?.merchantId === merchantId ? order : undefined;
}

export function findOrderByPageToken(core: EmulatorCore, token: string): OrderRecord | undefined {
  const key = core.state.pageTokens.get(token);
  return key ? core.state.orders.get(key) : undefined;
}

export function findSubscription(
  core: EmulatorCore,
  merchantId: string,
  merchantSubscriptionId: string,
): SubscriptionRecord | undefined {
  return core.state.subscriptions.get(scopedKey(merchantId, merchantSubscriptionId));
}

/** The merchant's subscription, or 400 `SUBSCRIPTION_NOT_FOUND`. */
export function requireSubscription(
  core: EmulatorCore,
  merchantId: string,
  merchantSubscriptionId: string,
): SubscriptionRecord {
  const sub = findSubscription(core, merchantId, merchantSubscriptionId);
  if (!sub) throw unknownSubscription();
  return sub;
}

/**
 * Finds a record by its merchant-side id for a control call, across merchants unless
 * `merchantId` narrows it. Two merchants with the same id need `merchantId`.
 */
export function findForControl<T extends { merchantId: string }>(
  map: Map<string, T>,
  id: string,
  what: string,
  merchantId?: string,
): T {
  const matches = [...map.entries()].filter(
    ([key, value]) => key.endsWith(`\u0000${id}`) && (!merchantId || value.merchantId === merchantId),
  );
  if (matches.length === 1) return matches[0]![1];
  if (matches.length === 0) {
    throw new PhonePeEmulatorError(
      404,
      'NOT_FOUND',
      `No ${what} "${id}" exists in the emulator${merchantId ? ` for merchant ${merchantId}` : ''}; create it through the API first.`,
    );
  }
  throw new PhonePeEmulatorError(
    409,
    'AMBIGUOUS_ID',
    `Several merchants have a ${what} "${id}"; pass merchantId to say which one.`,
  );
}

/**
 * Refuses to manage a mandate set up through checkout on a path family left out of
 * `mandateFamilies`: PhonePe's sources disagree on which family manages such mandates
 * (docs/phonepe-protocol.md#unsettled-path-family), so tests can pin one down. The refusal is
 * `wrongFamilyStatus`: 404 with the not-found body of what was asked for, or the gateway's 401.
 */
export function assertMandateServedOn(
  core: EmulatorCore,
  sub: SubscriptionRecord,
  family: ApiFamily,
  asked: 'subscription' | 'order',
): void {
  if (sub.family !== 'checkout' || core.config.mandateFamilies.includes(family)) return;
  throw wrongFamily(core, asked);
}

/** The same rule for a redemption order of such a mandate (order status, transaction status, redeem). */
export function assertOrderServedOn(core: EmulatorCore, order: OrderRecord, family: ApiFamily): void {
  if (order.kind !== 'REDEMPTION' || !order.merchantSubscriptionId) return;
  const sub = findSubscription(core, order.merchantId, order.merchantSubscriptionId);
  if (sub) assertMandateServedOn(core, sub, family, 'order');
}

function wrongFamily(core: EmulatorCore, asked: 'subscription' | 'order'): PhonePeEmulatorError {
  if (core.config.wrongFamilyStatus === 401) return unauthorized();
  return asked === 'subscription' ? unknownSubscription(404) : unknownOrder(404);
}

function rupees(paise: number): string {
  return `${Math.trunc(paise / 100)}.${String(paise % 100).padStart(2, '0')}`;
}

/**
 * A `upi://mandate?…` link shaped like the NPCI mandate intent a UPI app opens (payee, amount,
 * max amount, recurrence). The emulator does not act on it; approval comes from the controls.
 */
export function upiMandateIntentUrl(order: OrderRecord, mandate: MandateInput): string {
  const params = new URLSearchParams({
    pa: 'phonepeemulator@ybl',
    pn: 'PhonePe Emulator',
    mc: '5817',
    tr: order.orderId,
    tn: `Mandate ${mandate.merchantSubscriptionId}`,
    am: rupees(order.amount),
    mam: rupees(mandate.maxAmount),
    cu: 'INR',
    recur: mandate.frequency,
    amrule: mandate.amountType === 'FIXED' ? 'EXACT' : 'MAX',
    validityend: String(mandate.expireAt ?? ''),
  });
  return `upi://mandate?${params.toString()}`;
}

/** A validated `/checkout/v2/pay` or `/checkout/v2/sdk/order` body (docs/phonepe-protocol.md#checkout-pay, #sdk-order, #autopay-checkout-setup). */
export interface CheckoutOrderInput {
  merchantOrderId: string;
  amount: number;
  expireAfter?: number;
  metaInfo?: Record<string, string>;
  paymentFlow: {
    type: 'PG_CHECKOUT' | 'SUBSCRIPTION_CHECKOUT_SETUP';
    merchantUrls?: { redirectUrl?: string; cancelRedirectUrl?: string };
    subscriptionDetails?: MandateInput;
  };
}

/**
 * Creates a standard-checkout order — a payment, or (SUBSCRIPTION_CHECKOUT_SETUP) a mandate setup
 * with its subscription — and settles it at once when the merchant's outcome says so.
 * Returns PhonePe's pay response: `orderId`, `state`, `expireAt`, `redirectUrl` (and the SDK `token`).
 */
export function createCheckoutOrder(core: EmulatorCore, merchant: MerchantRecord, input: CheckoutOrderInput) {
  const details =
    input.paymentFlow.type === 'SUBSCRIPTION_CHECKOUT_SETUP' ? input.paymentFlow.subscriptionDetails : undefined;
  if (details) assertNewSubscriptionId(core, merchant.merchantId, details.merchantSubscriptionId);
  const order = insertOrder(core, {
    merchantId: merchant.merchantId,
    merchantOrderId: input.merchantOrderId,
    kind: details ? 'SUBSCRIPTION_SETUP' : 'CHECKOUT',
    family: 'checkout',
    flowType: input.paymentFlow.type,
    amount: input.amount,
    expireAt: core.clock.now() + (input.expireAfter ?? DEFAULT_EXPIRE_AFTER_SECONDS) * 1_000,
    metaInfo: input.metaInfo,
    redirectUrl: input.paymentFlow.merchantUrls?.redirectUrl,
    cancelRedirectUrl: input.paymentFlow.merchantUrls?.cancelRedirectUrl,
    merchantSubscriptionId: details?.merchantSubscriptionId,
  });
  if (details) insertMandate(core, order, details, 'checkout');
  const created = { orderId: order.orderId, state: order.state, expireAt: order.expireAt };
  applyOutcome(core, order);
  return { ...created, redirectUrl: hostedPageUrl(core, order), token: order.pageToken };
}

/** Stores the mandate a setup order will activate. */
export function insertMandate(
  core: EmulatorCore,
  order: OrderRecord,
  details: MandateInput,
  family: OrderRecord['family'],
): void {
  insertSubscription(core, {
    merchantId: order.merchantId,
    merchantSubscriptionId: details.merchantSubscriptionId,
    family,
    authWorkflowType: details.authWorkflowType,
    amountType: details.amountType,
    maxAmount: details.maxAmount,
    frequency: details.frequency,
    productType: details.productType ?? null,
    expireAt: details.expireAt ?? core.clock.now() + DEFAULT_SUBSCRIPTION_TTL_MS,
    setupMerchantOrderId: order.merchantOrderId,
  });
}

/** A validated `/subscriptions/v2/setup` body (docs/phonepe-protocol.md#autopay-api-setup). */
export interface SetupOrderInput {
  merchantOrderId: string;
  amount: number;
  expireAt?: number;
  metaInfo?: Record<string, string>;
  paymentFlow: MandateInput & {
    type: 'SUBSCRIPTION_SETUP';
    paymentMode: { type: 'UPI_INTENT' | 'UPI_COLLECT' };
  };
}

/**
 * Creates an API-family mandate setup (docs/phonepe-protocol.md#autopay-api-setup). UPI_INTENT answers with an `intentUrl`
 * (`upi://mandate?…`); UPI_COLLECT with none (the payer approves in their UPI app). Either way the
 * approval comes from `emu.completeOrder`, the control route, or the hosted page the control API reports.
 * `expireAt` is in the answer only in the `documented` shape: PhonePe's Go SDK fixture has none.
 */
export function createSetupOrder(core: EmulatorCore, merchant: MerchantRecord, input: SetupOrderInput) {
  const flow = input.paymentFlow;
  assertNewSubscriptionId(core, merchant.merchantId, flow.merchantSubscriptionId);
  const order: OrderRecord = insertOrder(core, {
    merchantId: merchant.merchantId,
    merchantOrderId: input.merchantOrderId,
    kind: 'SUBSCRIPTION_SETUP',
    family: 'subscriptions',
    flowType: flow.type,
    amount: input.amount,
    expireAt: input.expireAt ?? core.clock.now() + DEFAULT_SETUP_ORDER_TTL_MS,
    metaInfo: input.metaInfo,
    merchantSubscriptionId: flow.merchantSubscriptionId,
    setupPaymentMode: flow.paymentMode.type,
  });
  insertMandate(core, order, flow, 'subscriptions');
  const created = {
    orderId: order.orderId,
    state: order.state,
    ...(core.config.responseShape === 'documented' ? { expireAt: order.expireAt } : {}),
  };
  applyOutcome(core, order);
  return flow.paymentMode.type === 'UPI_INTENT' ? { ...created, intentUrl: upiMandateIntentUrl(order, flow) } : created;
}
