import { emitWebhook, type EmulatorCore } from './emulator-core.js';
import { scopedKey } from './emulator-state.js';
import { PhonePeEmulatorError } from './phonepe-emulator-error.js';
import type { OrderRecord, SubscriptionRecord, SubscriptionState } from './records.js';
import { subscriptionView } from './subscription-view.js';

function setupSubscription(core: EmulatorCore, order: OrderRecord): SubscriptionRecord | undefined {
  if (!order.merchantSubscriptionId) return undefined;
  return core.state.subscriptions.get(scopedKey(order.merchantId, order.merchantSubscriptionId));
}

/** A completed setup order makes its mandate ACTIVE (the setup order's webhook announces it). */
export function activateSubscription(core: EmulatorCore, order: OrderRecord): void {
  const sub = setupSubscription(core, order);
  if (sub && sub.state === 'ACTIVATION_IN_PROGRESS') sub.state = 'ACTIVE';
}

export function failSubscriptionSetup(core: EmulatorCore, order: OrderRecord): void {
  const sub = setupSubscription(core, order);
  if (sub && sub.state === 'ACTIVATION_IN_PROGRESS') sub.state = 'FAILED';
}

type StateChange = 'paused' | 'unpaused' | 'revoked' | 'cancelled';

const TRANSITIONS: Record<StateChange, { from: SubscriptionState[]; to: SubscriptionState }> = {
  paused: { from: ['ACTIVE'], to: 'PAUSED' },
  unpaused: { from: ['PAUSED'], to: 'ACTIVE' },
  revoked: { from: ['ACTIVE', 'PAUSED'], to: 'REVOKED' },
  cancelled: { from: ['ACTIVE', 'PAUSED'], to: 'CANCELLED' },
};

/** Error codes for a merchant cancel that cannot happen (legacy v3 names, §4.6; v2 codes UNCONFIRMED). */
const CANCEL_REFUSALS: Partial<Record<SubscriptionState, string>> = {
  CANCELLED: 'SUBSCRIPTION_ALREADY_CANCELLED',
  REVOKED: 'SUBSCRIPTION_ALREADY_REVOKED',
  EXPIRED: 'SUBSCRIPTION_EXPIRED',
};

/**
 * Moves a subscription (customer pause/unpause/revoke, merchant cancel) and sends
 * `subscription.<change>` with the subscription as payload (§4.6, §5.3).
 */
export function changeSubscriptionState(core: EmulatorCore, sub: SubscriptionRecord, change: StateChange, options: { pauseUntil?: number } = {}): void {
  const rule = TRANSITIONS[change];
  if (!rule.from.includes(sub.state)) {
    const code = change === 'cancelled' ? (CANCEL_REFUSALS[sub.state] ?? 'INVALID_SUBSCRIPTION_STATE') : 'INVALID_SUBSCRIPTION_STATE';
    throw new PhonePeEmulatorError(400, code, `Subscription ${sub.merchantSubscriptionId} is ${sub.state}; it can be ${change} only when ${rule.from.join(' or ')}.`);
  }
  sub.state = rule.to;
  if (change === 'paused') {
    sub.pauseStartDate = core.clock.now();
    sub.pauseEndDate = options.pauseUntil ?? null;
  } else {
    sub.pauseStartDate = null;
    sub.pauseEndDate = null;
  }
  emitWebhook(core, sub.merchantId, `subscription.${change}`, subscriptionView(sub, true));
}

/** The mandate reached its `expireAt` (no webhook: §5.3 lists none for expiry). */
export function expireSubscription(sub: SubscriptionRecord): void {
  sub.state = 'EXPIRED';
  sub.pauseStartDate = null;
  sub.pauseEndDate = null;
}
