import { z } from 'zod';
import { clearEmulatorState, type EmulatorCore, stateChanged } from '../core/emulator-core.js';
import { completeOrder, defaultPaymentMode, failAttempt, failOrder, failureFor } from '../core/order-transitions.js';
import { findForControl, hostedPageUrl } from '../core/orders.js';
import { DEFAULT_PAUSE_MS } from '../core/protocol-defaults.js';
import type { EmulatorOutcome, OrderRecord, PayerPaymentMode, RefundRecord } from '../core/records.js';
import { expireUnexecutedRedemption, failNotification } from '../core/redemptions.js';
import { completeRefund, failRefund, findOrderForRefund } from '../core/refunds.js';
import { changeSubscriptionState } from '../core/subscription-transitions.js';
import { sweep } from '../core/sweep.js';
import type { WebhookDispatcher } from '../core/webhook-dispatcher.js';
import { orderView, refundView, subscriptionView } from '../core/views.js';
import { parseOptions } from '../emulator-options.js';
import { PhonePeEmulatorError } from '../errors.js';
import { CHECKOUT_SCRIPT_PATH } from '../http/routing.js';
import type {
  EmulatorCustomerControls,
  EmulatorOrderSnapshot,
  EmulatorStateSnapshot,
  EmulatorWebhookControls,
  MerchantScope,
  PhonePeEmulatorControls,
} from './emulator-controls.js';

/** Runs a state change, then waits (bounded by `waitForFirstAttemptMs`) for the first attempts of the webhooks it caused. */
export type Act = <T>(change: () => T) => Promise<T>;

export function createAct(core: EmulatorCore): Act {
  return async (change) => {
    const mark = core.webhooks.mark();
    stateChanged(core);
    const result = change();
    stateChanged(core);
    await core.webhooks.settleSince(mark, core.config.waitForFirstAttemptMs);
    return result;
  };
}

/** Checks a fault before it is registered; unknown keys are refused (a typo would silently match everything). */
export const faultSpecSchema = z.strictObject({
  method: z.string().min(1).optional(),
  path: z.union([z.string().startsWith('/', 'fault path must start with /'), z.instanceof(RegExp)]),
  status: z.number().int().min(100).max(599).optional(),
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  delayMs: z.number().int().min(0).optional(),
  dropConnection: z.boolean().optional(),
  times: z.number().int().min(1).optional(),
  after: z.boolean().optional(),
  truncate: z.boolean().optional(),
});

export function findOrder(core: EmulatorCore, merchantOrderId: string, scope: MerchantScope = {}): OrderRecord {
  return findForControl(core.state.orders, merchantOrderId, 'order', scope.merchantId);
}

export function orderSnapshot(core: EmulatorCore, order: OrderRecord): EmulatorOrderSnapshot {
  const view = orderView(core, order, { details: true, errorContext: true, shape: 'documented' });
  return {
    ...view,
    kind: order.kind,
    ...(order.kind === 'REDEMPTION' ? {} : { hostedPageUrl: hostedPageUrl(core, order) }),
  } as EmulatorOrderSnapshot;
}

/** completeOrder: checkout/setup orders as if paid; redemptions only once executed (redeem first). */
export function completeOrderControl(core: EmulatorCore, order: OrderRecord, paymentMode?: PayerPaymentMode): void {
  if (order.kind === 'REDEMPTION' && order.state !== 'PENDING') {
    throw new PhonePeEmulatorError(
      409,
      'INVALID_ORDER_STATE',
      `Redemption ${order.merchantOrderId} is ${order.state}; call redeem (after validAfter) before completing it.`,
    );
  }
  completeOrder(core, order, order.kind === 'REDEMPTION' ? 'UPI_AUTO_PAY' : (paymentMode ?? defaultPaymentMode(order)));
}

/** failOrder: a pending notification, an unexecuted redemption, or any PENDING order. */
export function failOrderControl(
  core: EmulatorCore,
  order: OrderRecord,
  errorCode?: string,
  detailedErrorCode?: string,
): void {
  const failure = failureFor(errorCode, detailedErrorCode);
  if (order.state === 'NOTIFICATION_IN_PROGRESS') {
    failNotification(core, order, failure);
    return;
  }
  if (order.state === 'NOTIFIED') {
    expireUnexecutedRedemption(core, order, failure);
    return;
  }
  failOrder(core, order, failure, { withAttempt: true, paymentMode: defaultPaymentMode(order) });
}

export function failAttemptControl(
  core: EmulatorCore,
  order: OrderRecord,
  options: { errorCode?: string; detailedErrorCode?: string; paymentMode?: PayerPaymentMode },
): void {
  failAttempt(
    core,
    order,
    failureFor(options.errorCode, options.detailedErrorCode),
    options.paymentMode ?? defaultPaymentMode(order),
  );
}

/** Everything the emulator holds, for `emu.state()` and `GET /__emulator/state`. Client secrets are left out. */
export function emulatorStateSnapshot(core: EmulatorCore): EmulatorStateSnapshot {
  return {
    now: core.clock.now(),
    outcome: core.config.outcome,
    merchants: core.config.merchants.map((m) => ({
      merchantId: m.merchantId,
      clientId: m.clientId,
      clientVersion: m.clientVersion,
      outcome: m.outcome ?? core.config.outcome,
      webhookUrl: m.webhook?.url ?? core.config.webhook?.url ?? null,
    })),
    orders: [...core.state.orders.values()].map((o) => orderSnapshot(core, o)),
    // The documented views always carry these ids and states (the records require them).
    subscriptions: [...core.state.subscriptions.values()].map(
      (s) => subscriptionView(s, 'documented', true) as EmulatorStateSnapshot['subscriptions'][number],
    ),
    refunds: [...core.state.refunds.values()].map(
      (r) =>
        refundView(r, findOrderForRefund(core, r), { shape: 'documented' }) as EmulatorStateSnapshot['refunds'][number],
    ),
    webhooks: core.webhooks.deliveries(),
    faults: core.faults.list().map((f) => ({ ...f, path: String(f.path) })),
  };
}

/** `emu.customer.*`: what a payer does in their UPI app (docs/phonepe-protocol.md#cancel-pause-revoke). */
export function createCustomerControls(core: EmulatorCore, act: Act): EmulatorCustomerControls {
  const change =
    (kind: 'paused' | 'unpaused' | 'revoked') =>
    (id: string, options: { merchantId?: string; until?: number } = {}) =>
      act(() => {
        const sub = findForControl(core.state.subscriptions, id, 'subscription', options.merchantId);
        const pauseUntil = kind === 'paused' ? (options.until ?? core.clock.now() + DEFAULT_PAUSE_MS) : undefined;
        changeSubscriptionState(core, sub, kind, { pauseUntil });
        return subscriptionView(sub, 'documented');
      });
  return { pause: change('paused'), unpause: change('unpaused'), revoke: change('revoked') };
}

type RefundControls = Pick<PhonePeEmulatorControls, 'getRefund' | 'completeRefund' | 'failRefund' | 'getSubscription'>;

/** Refund and subscription lookups and refund settlement. */
export function createRefundControls(core: EmulatorCore, act: Act): RefundControls {
  const refund = (id: string, merchantId?: string) => findForControl(core.state.refunds, id, 'refund', merchantId);
  const view = (r: RefundRecord) => refundView(r, findOrderForRefund(core, r), { shape: 'documented' });
  return {
    getSubscription: (id, options = {}) =>
      subscriptionView(findForControl(core.state.subscriptions, id, 'subscription', options.merchantId), 'documented'),
    getRefund: (id, options = {}) => view(refund(id, options.merchantId)),
    completeRefund: (id, options = {}) =>
      act(() => {
        const r = refund(id, options.merchantId);
        completeRefund(core, r);
        return view(r);
      }),
    failRefund: (id, options = {}) =>
      act(() => {
        const r = refund(id, options.merchantId);
        failRefund(core, r, failureFor(options.errorCode ?? 'REFUND_FAILED', options.detailedErrorCode));
        return view(r);
      }),
  };
}

/**
 * The webhook controls (`emu.webhooks`) over a gateway's dispatcher; `unknownDelivery` is the error that
 * gateway's emulator throws for a `resend` of a delivery id it never made.
 */
export function createWebhookControls(
  webhooks: Pick<
    WebhookDispatcher<{ url: string }>,
    'deliveries' | 'duplicateNext' | 'hold' | 'release' | 'resend' | 'idle' | 'clear'
  >,
  unknownDelivery: (deliveryId: string) => Error,
): EmulatorWebhookControls {
  return {
    get deliveries() {
      return webhooks.deliveries();
    },
    duplicateNext: (count = 1) => webhooks.duplicateNext(count),
    hold: () => webhooks.hold(),
    release: (order = 'original') => webhooks.release(order),
    async resend(deliveryId) {
      const copy = await webhooks.resend(deliveryId);
      if (!copy) throw unknownDelivery(deliveryId);
      return copy;
    },
    idle: () => webhooks.idle(),
    clear: () => webhooks.clear(),
  };
}

/** Builds the control surface over a core; `url()` is read lazily (the port is known after listen). */
export function createEmulatorControls(core: EmulatorCore, url: () => string): PhonePeEmulatorControls {
  const act = createAct(core);
  const onOrder = (id: string, scope: MerchantScope, change: (order: OrderRecord) => void) =>
    act(() => {
      const order = findOrder(core, id, scope);
      change(order);
      return orderSnapshot(core, order);
    });
  return {
    get url() {
      return url();
    },
    get baseUrls() {
      return { pg: `${url()}/apis/pg-sandbox`, oauth: `${url()}/apis/pg-sandbox` };
    },
    get checkoutScriptUrl() {
      return `${url()}${CHECKOUT_SCRIPT_PATH}`;
    },
    now: () => core.clock.now(),
    advanceTime: (ms) =>
      act(() => {
        core.clock.advance(ms);
        sweep(core);
        return core.clock.now();
      }),
    sweep: () => act(() => sweep(core)),
    setOutcome: (outcome, options = {}) => setOutcome(core, outcome, options.merchantId),
    completeOrder: (id, options = {}) =>
      onOrder(id, options, (o) => completeOrderControl(core, o, options.paymentMode)),
    failOrder: (id, options = {}) =>
      onOrder(id, options, (o) => failOrderControl(core, o, options.errorCode, options.detailedErrorCode)),
    failAttempt: (id, options = {}) => onOrder(id, options, (o) => failAttemptControl(core, o, options)),
    getOrder: (id, options = {}) => orderSnapshot(core, findOrder(core, id, options)),
    hostedPageUrl: (id, options = {}) => hostedPageUrl(core, findOrder(core, id, options)),
    ...createRefundControls(core, act),
    customer: createCustomerControls(core, act),
    faults: {
      add: (fault) => core.faults.add(parseOptions(faultSpecSchema, fault, 'emu.faults.add')),
      remove: (id) => core.faults.remove(id),
      clear: () => core.faults.clear(),
      list: () => core.faults.list(),
    },
    webhooks: createWebhookControls(
      core.webhooks,
      (id) =>
        new PhonePeEmulatorError(
          404,
          'NOT_FOUND',
          `No webhook delivery "${id}"; see emu.webhooks.deliveries for the ids.`,
        ),
    ),
    state: () => emulatorStateSnapshot(core),
    reset() {
      clearEmulatorState(core.state);
      stateChanged(core);
      core.webhooks.clear();
      core.faults.clear();
    },
  };
}

function setOutcome(core: EmulatorCore, outcome: EmulatorOutcome, merchantId?: string): void {
  if (!merchantId) {
    core.config.outcome = outcome;
    return;
  }
  const merchant = core.config.merchants.find((m) => m.merchantId === merchantId);
  if (!merchant)
    throw new PhonePeEmulatorError(
      404,
      'NOT_FOUND',
      `No merchant "${merchantId}" is configured in the emulator; see emu.state().merchants.`,
    );
  merchant.outcome = outcome;
}
