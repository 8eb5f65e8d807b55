import { brandError, hasErrorBrand } from '../common/error-brand.js';
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
    brandError(this, 'ConfigError');
  }
}

/** True when `error` is a {@link ConfigError}, from whichever copy of the library threw it (the class carries a registry-wide brand). */
export function isConfigError(error: unknown): error is ConfigError {
  return hasErrorBrand(error, 'ConfigError');
}
