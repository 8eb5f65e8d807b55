import { brandError, hasErrorBrand } from '../../common/error-brand.js';
import { BillingError } from './billing-error.js';

/**
 * Recording usage would take a metric past its plan limit for the current period. Nothing was recorded.
 *
 * @example
 * try { await billing.recordUsage('ws_1', 'projects', 1); }
 * catch (e) { if (isQuotaExceededError(e)) console.log(`${e.current}/${e.limit} ${e.metric}`); }
 */
export class QuotaExceededError extends BillingError {
  override readonly name = 'QuotaExceededError';
  constructor(
    readonly workspaceId: string,
    readonly metric: string,
    readonly current: number,
    readonly limit: number,
    readonly requested: number,
  ) {
    super(
      'QUOTA_EXCEEDED',
      `Quota exceeded for "${metric}" in workspace ${workspaceId}: ${current} of ${limit} used, ${requested} more requested; upgrade the plan or wait for the next billing period.`,
      { details: { metric, current, limit, requested } },
    );
    brandError(this, 'QuotaExceededError');
  }
}

/** True when `error` is a {@link QuotaExceededError}, from whichever copy of the library threw it (the class carries a registry-wide brand). */
export function isQuotaExceededError(error: unknown): error is QuotaExceededError {
  return hasErrorBrand(error, 'QuotaExceededError');
}
