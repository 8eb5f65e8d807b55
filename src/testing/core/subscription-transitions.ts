import { emitWebhook, type EmulatorCore, scopedKey } from './emulator-core.js';
import { PhonePeEmulatorError } from '../errors.js';
import type { OrderRecord, SubscriptionRecord, SubscriptionState } from './records.js';
import { subscriptionView } from './views.js';

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

type StateChange = 'paused' | 'unpaused' | 'revoked';

const TRANSITIONS: Record<StateChange, { from: SubscriptionState[]; to: SubscriptionState }> = {
  paused: { from: ['ACTIVE'], to: 'PAUSED' },
  unpaused: { from: ['PAUSED'], to: 'ACTIVE' },
  revoked: { from: ['ACTIVE', 'PAUSED'], to: 'REVOKED' },
};

/** Error codes for a merchant cancel that cannot happen (legacy v3 names, docs/phonepe-protocol.md#cancel-pause-revoke; v2 codes unsettled, docs/phonepe-protocol.md#unsettled). */
const CANCEL_REFUSALS: Partial<Record<SubscriptionState, string>> = {
  CANCELLED: 'SUBSCRIPTION_ALREADY_CANCELLED',
  REVOKED: 'SUBSCRIPTION_ALREADY_REVOKED',
  EXPIRED: 'SUBSCRIPTION_EXPIRED',
};

/**
 * A payer action in the UPI app (pause, unpause, revoke): moves the subscription and sends
 * `subscription.<change>` with the subscription as payload (docs/phonepe-protocol.md#cancel-pause-revoke).
 * Only an unpause clears the pause dates: PhonePe's `subscription.cancelled` fixture still carries
 * them after the mandate ended, so a revoke keeps them too.
 */
export function changeSubscriptionState(
  core: EmulatorCore,
  sub: SubscriptionRecord,
  change: StateChange,
  options: { pauseUntil?: number } = {},
): void {
  const rule = TRANSITIONS[change];
  if (!rule.from.includes(sub.state)) {
    throw new PhonePeEmulatorError(
      400,
      'INVALID_SUBSCRIPTION_STATE',
      `Subscription ${sub.merchantSubscriptionId} is ${sub.state}; it can be ${change} only when ${rule.from.join(' or ')}.`,
    );
  }
  sub.state = rule.to;
  if (change === 'paused') {
    sub.pauseStartDate = core.clock.now();
    sub.pauseEndDate = options.pauseUntil ?? null;
  } else if (change === 'unpaused') {
    sub.pauseStartDate = null;
    sub.pauseEndDate = null;
  }
  emitStateChange(core, sub, change);
}

/**
 * A merchant cancel: ACTIVE or PAUSED → `CANCEL_IN_PROGRESS` now, `CANCELLED` (with
 * `subscription.cancelled`) once `cancelCompletesAfterMs` has passed on the virtual clock. Asking
 * again while it is in progress changes nothing and is accepted, so a cancel is safe to repeat.
 */
export function requestCancel(core: EmulatorCore, sub: SubscriptionRecord): void {
  if (sub.state === 'CANCEL_IN_PROGRESS') return;
  if (sub.state !== 'ACTIVE' && sub.state !== 'PAUSED') {
    const code = CANCEL_REFUSALS[sub.state] ?? 'INVALID_SUBSCRIPTION_STATE';
    throw new PhonePeEmulatorError(
      400,
      code,
      `Subscription ${sub.merchantSubscriptionId} is ${sub.state}; it can be cancelled only when ACTIVE or PAUSED.`,
    );
  }
  sub.state = 'CANCEL_IN_PROGRESS';
  sub.cancelCompletesAt = core.clock.now() + core.config.cancelCompletesAfterMs;
}

/** The cancel went through: CANCELLED, pause dates kept, `subscription.cancelled`. */
export function completeCancel(core: EmulatorCore, sub: SubscriptionRecord): void {
  if (sub.state !== 'CANCEL_IN_PROGRESS') return;
  sub.state = 'CANCELLED';
  delete sub.cancelCompletesAt;
  emitStateChange(core, sub, 'cancelled');
}

function emitStateChange(core: EmulatorCore, sub: SubscriptionRecord, change: StateChange | 'cancelled'): void {
  emitWebhook(core, sub.merchantId, `subscription.${change}`, subscriptionView(sub, core.config.responseShape, true));
}

/** The mandate reached its `expireAt` (no webhook: docs/phonepe-protocol.md#webhook-events lists none for expiry). */
export function expireSubscription(sub: SubscriptionRecord): void {
  sub.state = 'EXPIRED';
  sub.pauseStartDate = null;
  sub.pauseEndDate = null;
}
