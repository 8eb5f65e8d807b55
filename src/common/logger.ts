/**
 * The logging shape the library writes to: pino-compatible (an object first, then a message),
 * so `pino()`, `fastify.log` or a thin wrapper around `console` can be passed as-is.
 * Library code never calls `console.*`; it logs through this, and never logs a secret,
 * a token, an `Authorization` value or a request body that may carry one.
 *
 * @example
 * const logger: Logger = pino();
 */
export interface Logger {
  debug(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

/** A logger that drops everything (the default). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
