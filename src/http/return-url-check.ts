import { BillingError } from '../billing/errors.js';
import type { ReturnUrlAllowlist } from '../billing/return-url-allowlist.js';

/**
 * Applies the handler's own `redirectAllowlist` (when configured) on top of the manager's: the
 * return URL must pass both. Refused → `RETURN_URL_NOT_ALLOWED` (400), before anything is written.
 */
export function checkHandlerAllowlist(allowlist: ReturnUrlAllowlist | null, returnUrl: string | undefined): void {
  if (!allowlist || returnUrl === undefined) return;
  const result = allowlist.check(returnUrl);
  if (!result.ok)
    throw new BillingError(
      'RETURN_URL_NOT_ALLOWED',
      `return_url is not allowed by this API's redirect allowlist: ${result.message}.`,
      { details: { problem: result.problem } },
    );
}
