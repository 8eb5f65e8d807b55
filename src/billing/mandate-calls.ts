import { isPhonePeAuthenticationError, isPhonePeNotFoundError } from '../client/errors.js';
import type { SubscriptionFamily } from '../client/phonepe-paths.js';
import type { NotifyRedemptionRequest } from '../client/requests.js';
import type {
  ExecuteRedemptionResponse,
  NotifyRedemptionResponse,
  OrderStatus,
  SubscriptionStatus,
} from '../client/responses.js';
import type { PhonePeClient } from '../client/phonepe-client.js';
import type { Logger } from '../common/logger.js';

/** What PhonePe's mandate calls need: the client, the configured path family and a logger. */
export interface PhonePeMandateDeps {
  client: PhonePeClient;
  pathFamily: SubscriptionFamily;
  logger: Logger;
}

/** The PhonePe calls the billing layer makes on a mandate, on the configured path family. */
export interface MandateCalls {
  getStatus(merchantSubscriptionId: string): Promise<SubscriptionStatus>;
  cancel(merchantSubscriptionId: string): Promise<void>;
  getRedemptionStatus(merchantOrderId: string): Promise<OrderStatus>;
  notify(
    request: Omit<NotifyRedemptionRequest, 'paymentFlow'> & {
      paymentFlow: Omit<NotifyRedemptionRequest['paymentFlow'], 'type'>;
    },
  ): Promise<NotifyRedemptionResponse>;
  redeem(merchantOrderId: string): Promise<ExecuteRedemptionResponse>;
}

const OTHER: Record<SubscriptionFamily, SubscriptionFamily> = { checkout: 'api', api: 'checkout' };
const NOTIFY_TYPE: Record<SubscriptionFamily, 'SUBSCRIPTION_CHECKOUT_REDEMPTION' | 'SUBSCRIPTION_REDEMPTION'> = {
  checkout: 'SUBSCRIPTION_CHECKOUT_REDEMPTION',
  api: 'SUBSCRIPTION_REDEMPTION',
};

/**
 * Mandate calls on `config.autopay.pathFamily`. Which family manages mandates set up through checkout is
 * not settled by PhonePe's public pages (docs/phonepe-protocol.md#unsettled-path-family), so the read-only
 * and idempotent calls — subscription status, cancel, redemption order status — try the other family
 * once when the configured one answers 401 or "not found", and log which one answered. Notify and redeem
 * never do: they create a notice or a debit, and a second family could create a second one.
 *
 * @example
 * const status = await mandateCalls({ client, pathFamily: 'checkout', logger }).getStatus('mnd_1');
 */
export function mandateCalls(deps: PhonePeMandateDeps): MandateCalls {
  const family = deps.pathFamily;
  const subscriptions = deps.client.subscriptions;
  const logger = deps.logger;
  const wrongFamily = (error: unknown) =>
    isPhonePeNotFoundError(error) || (isPhonePeAuthenticationError(error) && error.status === 401);
  const withFallback = async <T>(
    operation: string,
    id: string,
    call: (family: SubscriptionFamily) => Promise<T>,
  ): Promise<T> => {
    try {
      return await call(family);
    } catch (error) {
      if (!wrongFamily(error)) throw error;
      const other = OTHER[family];
      const result = await call(other);
      logger.warn(
        { operation, id, configured: family, answered: other },
        `PhonePe answered ${operation} on the ${other} path family, not the configured ${family}; set autopay.pathFamily to '${other}' if this repeats`,
      );
      return result;
    }
  };
  // Notify and redeem stay on the configured family; when it does not know the mandate, say which setting to check.
  const configuredOnly = async <T>(operation: string, id: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      if (wrongFamily(error)) {
        logger.error(
          { operation, id, configured: family },
          `PhonePe refused ${operation} for ${id} on the ${family} path family; if PhonePe manages these mandates on the ${OTHER[family]} family, set autopay.pathFamily to '${OTHER[family]}' (notify and redeem never fall back: they would risk a second notice or debit)`,
        );
      }
      throw error;
    }
  };
  return {
    getStatus: (id) => withFallback('subscriptions.getStatus', id, (f) => subscriptions.getStatus(id, { family: f })),
    cancel: (id) => withFallback('subscriptions.cancel', id, (f) => subscriptions.cancel(id, { family: f })),
    getRedemptionStatus: (id) =>
      withFallback('subscriptions.getRedemptionStatus', id, (f) =>
        subscriptions.getRedemptionStatus(id, { family: f }),
      ),
    notify: (request) =>
      configuredOnly('subscriptions.notifyRedemption', request.paymentFlow.merchantSubscriptionId, () =>
        subscriptions.notifyRedemption({
          ...request,
          paymentFlow: { ...request.paymentFlow, type: NOTIFY_TYPE[family] },
        }),
      ),
    redeem: (id) =>
      configuredOnly('subscriptions.executeRedemption', id, () => subscriptions.executeRedemption(id, { family })),
  };
}
