import type { EmulatorCore } from '../core/emulator-core.js';
import { findForControl } from '../core/order-lookup.js';
import { failureFor } from '../core/payment-failures.js';
import { DEFAULT_PAUSE_MS } from '../core/protocol-defaults.js';
import type { RefundRecord } from '../core/records.js';
import { findOrderForRefund } from '../core/refund-lookup.js';
import { completeRefund, failRefund } from '../core/refund-transitions.js';
import { refundView } from '../core/refund-view.js';
import { changeSubscriptionState } from '../core/subscription-transitions.js';
import { subscriptionView } from '../core/subscription-view.js';
import type { Act } from './act.js';
import type { EmulatorCustomerControls, PhonePeEmulatorControls } from './emulator-controls.js';

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
