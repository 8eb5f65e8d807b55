import { z } from 'zod';
import { knownString, SUBSCRIPTION_STATES } from './states.js';
import { AMOUNT_TYPES, AUTH_WORKFLOW_TYPES, SUBSCRIPTION_FREQUENCIES } from './subscription-values.js';
import { epochMsSchema, paiseSchema } from './wire-numbers.js';

const optionalText = z.string().nullish();

/**
 * A subscription (UPI mandate) as PhonePe reports it: the subscription-status response of both
 * families and the payload of subscription state-change webhooks (docs/phonepe-protocol.md#subscription-states, #webhook-envelope).
 * Pause dates are only filled while PAUSED; many fields can be `null`.
 *
 * @example
 * const sub = subscriptionStatusSchema.parse(JSON.parse(body));
 * if (sub.state === 'ACTIVE') scheduleNextDebit(sub.merchantSubscriptionId);
 */
export const subscriptionStatusSchema = z.looseObject({
  merchantSubscriptionId: optionalText,
  subscriptionId: optionalText,
  state: knownString(SUBSCRIPTION_STATES),
  productType: optionalText,
  authInstrumentType: optionalText,
  authWorkflowType: knownString(AUTH_WORKFLOW_TYPES).nullish(),
  amountType: knownString(AMOUNT_TYPES).nullish(),
  currency: optionalText,
  maxAmount: paiseSchema.nullish(),
  frequency: knownString(SUBSCRIPTION_FREQUENCIES).nullish(),
  expireAt: epochMsSchema.nullish(),
  pauseStartDate: epochMsSchema.nullish(),
  pauseEndDate: epochMsSchema.nullish(),
});
/** @see subscriptionStatusSchema */
export type SubscriptionStatus = z.infer<typeof subscriptionStatusSchema>;
