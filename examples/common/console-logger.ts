import type { Logger } from 'phonepe-billing';

/**
 * A pino-shaped logger for the examples: warnings and errors to stderr, one line each. The library never
 * logs secrets; in an app, pass your pino logger instead.
 *
 * @example
 * new SubscriptionManager({ client, store, plans, config, logger: consoleLogger });
 */
export const consoleLogger: Logger = {
  debug() {},
  info() {},
  warn: (obj, msg) => console.warn(`warn: ${msg ?? ''} ${JSON.stringify(obj)}`),
  error: (obj, msg) => console.error(`error: ${msg ?? ''} ${JSON.stringify(obj)}`),
};
