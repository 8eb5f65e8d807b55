/**
 * An environment variable is missing or invalid. `variable` names it; the message says what to set.
 *
 * @example
 * try { loadConfigFromEnv(); } catch (e) { if (isConfigError(e)) console.error(e.variable, e.message); }
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError' as const;
  readonly code = 'INVALID_CONFIG' as const;
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

export function isConfigError(error: unknown): error is ConfigError {
  return error instanceof ConfigError;
}
