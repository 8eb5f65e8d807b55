import type { EmulatorCore } from '../core/emulator-core.js';
import { clearEmulatorState } from '../core/emulator-state.js';
import { findForControl } from '../core/order-lookup.js';
import { hostedPageUrl } from '../core/order-factory.js';
import { failureFor } from '../core/payment-failures.js';
import { PhonePeEmulatorError } from '../core/phonepe-emulator-error.js';
import { DEFAULT_PAUSE_MS } from '../core/protocol-defaults.js';
import { completeRefund, failRefund } from '../core/refund-transitions.js';
import { findOrderForRefund } from '../core/refund-lookup.js';
import { refundView } from '../core/refund-view.js';
import { changeSubscriptionState } from '../core/subscription-transitions.js';
import { subscriptionView } from '../core/subscription-view.js';
import { sweep } from '../core/sweep.js';
import type { PhonePeEmulatorControls } from './emulator-controls.js';
import { parseOptions } from '../emulator-options.js';
import { faultSpecSchema } from './fault-spec-schema.js';
import { completeOrderControl, failAttemptControl, failOrderControl, findOrder, orderSnapshot } from './order-controls.js';
import { emulatorStateSnapshot } from './state-snapshot.js';
import { createWebhookControls } from './webhook-controls.js';

/** Builds the control surface over a core; `url()` is read lazily (the port is known after listen). */
export function createEmulatorControls(core: EmulatorCore, url: () => string): PhonePeEmulatorControls {
  /** Runs a state change, then waits (bounded) for the first attempts of the webhooks it caused. */
  const act = async <T>(change: () => T): Promise<T> => {
    const mark = core.webhooks.mark();
    const result = change();
    await core.webhooks.settleSince(mark, core.config.waitForFirstAttemptMs);
    return result;
  };
  const subscription = (id: string, merchantId?: string) => findForControl(core.state.subscriptions, id, 'subscription', merchantId);
  const refund = (id: string, merchantId?: string) => findForControl(core.state.refunds, id, 'refund', merchantId);
  const refundSnapshot = (r: ReturnType<typeof refund>) => refundView(r, findOrderForRefund(core, r));
  const customerAction = (change: 'paused' | 'unpaused' | 'revoked') => (id: string, options: { merchantId?: string; until?: number } = {}) =>
    act(() => {
      const sub = subscription(id, options.merchantId);
      changeSubscriptionState(core, sub, change, { pauseUntil: change === 'paused' ? (options.until ?? core.clock.now() + DEFAULT_PAUSE_MS) : undefined });
      return subscriptionView(sub);
    });

  return {
    get url() {
      return url();
    },
    get baseUrls() {
      return { pg: `${url()}/apis/pg-sandbox`, oauth: `${url()}/apis/pg-sandbox` };
    },
    now: () => core.clock.now(),
    advanceTime: (ms) =>
      act(() => {
        core.clock.advance(ms);
        sweep(core);
        return core.clock.now();
      }),
    sweep: () => act(() => sweep(core)),
    setOutcome(outcome, options = {}) {
      if (!options.merchantId) {
        core.config.outcome = outcome;
        return;
      }
      const merchant = core.config.merchants.find((m) => m.merchantId === options.merchantId);
      if (!merchant) throw new PhonePeEmulatorError(404, 'NOT_FOUND', `No merchant "${options.merchantId}" is configured in the emulator.`);
      merchant.outcome = outcome;
    },
    completeOrder: (id, options = {}) => act(() => orderSnapshot(core, withOrder(id, options.merchantId, (o) => completeOrderControl(core, o, options.paymentMode)))),
    failOrder: (id, options = {}) => act(() => orderSnapshot(core, withOrder(id, options.merchantId, (o) => failOrderControl(core, o, options.errorCode, options.detailedErrorCode)))),
    failAttempt: (id, options = {}) => act(() => orderSnapshot(core, withOrder(id, options.merchantId, (o) => failAttemptControl(core, o, options)))),
    getOrder: (id, options = {}) => orderSnapshot(core, findOrder(core, id, options)),
    hostedPageUrl: (id, options = {}) => hostedPageUrl(core, findOrder(core, id, options)),
    getSubscription: (id, options = {}) => subscriptionView(subscription(id, options.merchantId)),
    getRefund: (id, options = {}) => refundSnapshot(refund(id, options.merchantId)),
    completeRefund: (id, options = {}) =>
      act(() => {
        const r = refund(id, options.merchantId);
        completeRefund(core, r);
        return refundSnapshot(r);
      }),
    failRefund: (id, options = {}) =>
      act(() => {
        const r = refund(id, options.merchantId);
        failRefund(core, r, options.errorCode || options.detailedErrorCode ? failureFor(options.errorCode, options.detailedErrorCode) : failureFor('REFUND_FAILED'));
        return refundSnapshot(r);
      }),
    customer: { pause: customerAction('paused'), unpause: customerAction('unpaused'), revoke: customerAction('revoked') },
    faults: {
      add: (fault) => core.faults.add(parseOptions(faultSpecSchema, fault, 'emu.faults.add')),
      remove: (id) => core.faults.remove(id),
      clear: () => core.faults.clear(),
      list: () => core.faults.list(),
    },
    webhooks: createWebhookControls(core),
    state: () => emulatorStateSnapshot(core),
    reset() {
      clearEmulatorState(core.state);
      core.webhooks.clear();
      core.faults.clear();
    },
  };

  function withOrder(id: string, merchantId: string | undefined, change: (order: ReturnType<typeof findOrder>) => void) {
    const order = findOrder(core, id, { merchantId });
    change(order);
    return order;
  }
}
