import type { EmulatorFaultControls, EmulatorWebhookControls } from '../controls/emulator-controls.js';
import { createWebhookControls, faultSpecSchema } from '../controls/create-emulator-controls.js';
import { parseOptions } from '../../common/invalid-options.js';
import type { CheckoutFailure, CheckoutSuccess, RazorpayCore } from './razorpay-core.js';
import { RazorpayEmulatorError } from './razorpay-emulator-error.js';
import type { PaymentError } from './razorpay-records.js';
import { RAZORPAY_API_BASE_PATH } from './razorpay-api-routes.js';
import { RAZORPAY_CHECKOUT_SCRIPT_PATH } from './razorpay-checkout-page.js';
import { orderEntity, paymentEntity, refundEntity, tokenEntity } from './razorpay-views.js';

/** The credentials a running Razorpay emulator accepts and signs with. */
export interface RazorpayEmulatorCredentials {
  keyId: string;
  keySecret: string;
  webhookSecret: string;
}

/** Everything `emu.state()` (and `GET /__emulator/state`) shows, as Razorpay's entities. */
export interface RazorpayEmulatorState {
  /** Emulator clock, epoch ms. */
  now: number;
  orders: Record<string, unknown>[];
  payments: Record<string, unknown>[];
  refunds: Record<string, unknown>[];
  customers: Record<string, unknown>[];
  tokens: Record<string, unknown>[];
  webhooks: EmulatorWebhookControls['deliveries'];
  faults: Array<Record<string, unknown>>;
}

/**
 * The test controls of a Razorpay emulator: act as the payer, the bank or Razorpay itself, move time,
 * and steer webhooks and faults. Each state-changing control resolves after the first delivery
 * attempt of the webhooks it caused (bounded by `webhook.waitForFirstAttemptMs`).
 *
 * @example
 * const { razorpay_payment_id } = await emu.payOrder(orderId);
 * const [refund] = emu.state().refunds;
 * await emu.processRefund(String(refund?.id));
 */
export interface RazorpayEmulatorControls {
  /** The emulator's origin, e.g. `http://127.0.0.1:53211`. */
  readonly url: string;
  /** `${url}/v1`: what a client uses instead of `https://api.razorpay.com/v1`. */
  readonly baseUrl: string;
  /** The stand-in for `https://checkout.razorpay.com/v1/checkout.js`. */
  readonly checkoutScriptUrl: string;
  readonly credentials: RazorpayEmulatorCredentials;
  /** Emulator clock, epoch ms. */
  now(): number;
  /** Moves the emulator clock forward, then processes refunds that fell due. Resolves to the new time. */
  advanceTime(ms: number): Promise<number>;
  /** Processes refunds that are due now. */
  sweep(): Promise<void>;
  /** The payer pays the order (as Checkout's Pay would); a `created` recurring payment on it is settled. */
  payOrder(orderId: string, options?: { method?: string }): Promise<CheckoutSuccess>;
  /** The payer's attempt fails (`payment.failed`); give Razorpay's error fields to shape it. */
  failOrder(orderId: string, failure?: Partial<PaymentError>): Promise<CheckoutFailure>;
  /** Captures an authorized payment (for orders created with `payment_capture: false`). */
  capturePayment(paymentId: string): Promise<Record<string, unknown>>;
  /** A pending refund is processed. */
  processRefund(refundId: string): Promise<Record<string, unknown>>;
  /** A pending refund fails; its amount becomes refundable again. */
  failRefund(refundId: string): Promise<Record<string, unknown>>;
  /** The bank confirms the mandate (`initiated` → `confirmed`, `token.confirmed`). */
  confirmToken(tokenId: string): Promise<Record<string, unknown>>;
  /** The registration fails (`initiated` → `rejected`, `token.rejected`). */
  rejectToken(tokenId: string, options?: { reason?: string }): Promise<Record<string, unknown>>;
  /** The customer or bank cancels the mandate (`token.cancelled`). */
  cancelToken(tokenId: string): Promise<Record<string, unknown>>;
  /** The customer pauses the mandate in their UPI app (`confirmed` → `paused`; Razorpay documents no webhook). */
  pauseToken(tokenId: string): Promise<Record<string, unknown>>;
  /** The customer resumes a paused mandate (`paused` → `confirmed`). */
  resumeToken(tokenId: string): Promise<Record<string, unknown>>;
  getOrder(orderId: string): Record<string, unknown>;
  getPayment(paymentId: string): Record<string, unknown>;
  getRefund(refundId: string): Record<string, unknown>;
  getToken(tokenId: string): Record<string, unknown>;
  readonly faults: EmulatorFaultControls;
  readonly webhooks: EmulatorWebhookControls;
  state(): RazorpayEmulatorState;
  /** Forgets every entity, finished webhook and fault. */
  reset(): void;
}

/** Runs a state change, then waits (bounded) for the first attempts of the webhooks it caused. */
export function createRazorpayAct(core: RazorpayCore) {
  return async <T>(change: () => T): Promise<T> => {
    const mark = core.webhooks.mark();
    const result = change();
    await core.webhooks.settleSince(mark, core.config.waitForFirstAttemptMs);
    return result;
  };
}

/** The controls over one core; `url` is read late (the server picks the port after the core exists). */
export function createRazorpayControls(core: RazorpayCore, url: () => string): RazorpayEmulatorControls {
  const act = createRazorpayAct(core);
  const webhooks = core.webhooks;
  return {
    get url() {
      return url();
    },
    get baseUrl() {
      return `${url()}${RAZORPAY_API_BASE_PATH}`;
    },
    get checkoutScriptUrl() {
      return `${url()}${RAZORPAY_CHECKOUT_SCRIPT_PATH}`;
    },
    credentials: Object.freeze({
      keyId: core.config.keyId,
      keySecret: core.config.keySecret,
      webhookSecret: core.config.webhookSecret,
    }),
    now: () => core.clock.now(),
    advanceTime: (ms) =>
      act(() => {
        core.clock.advance(ms);
        core.sweep();
        return core.clock.now();
      }),
    sweep: () => act(() => core.sweep()),
    payOrder: (orderId, options = {}) => act(() => core.payOrder(orderId, options)),
    failOrder: (orderId, failure = {}) => act(() => core.failOrder(orderId, failure)),
    capturePayment: (id) => act(() => paymentEntity(core.capture(id))),
    processRefund: (id) => act(() => refundEntity(core.processRefund(id))),
    failRefund: (id) => act(() => refundEntity(core.failRefund(id))),
    confirmToken: (id) => act(() => tokenEntity(core.setTokenStatus(id, 'confirmed'))),
    rejectToken: (id, options = {}) => act(() => tokenEntity(core.setTokenStatus(id, 'rejected', options.reason))),
    cancelToken: (id) => act(() => tokenEntity(core.setTokenStatus(id, 'cancelled'))),
    pauseToken: (id) => act(() => tokenEntity(core.setTokenStatus(id, 'paused'))),
    resumeToken: (id) => {
      if (core.token(id).status !== 'paused')
        return Promise.reject(
          new RazorpayEmulatorError(400, 'BAD_REQUEST_ERROR', 'Only a paused token can be resumed.', 'token_id'),
        );
      return act(() => tokenEntity(core.setTokenStatus(id, 'confirmed')));
    },
    getOrder: (id) => orderEntity(core.order(id)),
    getPayment: (id) => paymentEntity(core.payment(id)),
    getRefund: (id) => refundEntity(core.refund(id)),
    getToken: (id) => tokenEntity(core.token(id)),
    faults: {
      add: (fault) => core.faults.add(parseOptions(faultSpecSchema, fault, 'emu.faults.add')),
      remove: (id) => core.faults.remove(id),
      clear: () => core.faults.clear(),
      list: () => core.faults.list(),
    },
    webhooks: createWebhookControls(
      webhooks,
      (id) =>
        new RazorpayEmulatorError(
          404,
          'BAD_REQUEST_ERROR',
          `No webhook delivery "${id}"; see emu.webhooks.deliveries.`,
        ),
    ),
    state: () => ({
      ...core.snapshot(),
      webhooks: webhooks.deliveries(),
      faults: core.faults.list().map((f) => ({ ...f, path: String(f.path) })),
    }),
    reset() {
      core.reset();
      webhooks.clear();
      core.faults.clear();
    },
  };
}
