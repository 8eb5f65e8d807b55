import type { EmulatorCore } from './emulator-core.js';
import { findSubscription } from './order-lookup.js';
import { PhonePeEmulatorError, unauthorized, unknownOrder, unknownSubscription } from './phonepe-emulator-error.js';
import type { ApiFamily, OrderRecord, SubscriptionRecord } from './records.js';

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
