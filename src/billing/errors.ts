import type { z } from 'zod';
import { brandError, hasErrorBrand } from '../common/error-brand.js';
import type { GatewayFailure, PaymentGateway } from './payment-gateway.js';

/**
 * Every error code the billing layer raises, with the HTTP status the handlers answer it with.
 * One map, so the status for a code is chosen once (src/http reads it) and codes stay stable.
 */
export const BILLING_ERROR_CODES = {
  INVALID_INPUT: 400,
  INVALID_AMOUNT: 400,
  AMOUNT_MISMATCH: 400,
  CURRENCY_NOT_SUPPORTED: 400,
  RETURN_URL_NOT_ALLOWED: 400,
  PLAN_NOT_FOUND: 404,
  PLAN_INACTIVE: 409,
  PAYMENT_NOT_FOUND: 404,
  REFUND_NOT_FOUND: 404,
  SUBSCRIPTION_NOT_FOUND: 404,
  SUBSCRIPTION_EXISTS: 409,
  SUBSCRIPTION_NOT_CANCELLABLE: 409,
  SUBSCRIPTION_NOT_RESUMABLE: 409,
  PLAN_CHANGE_NOT_ALLOWED: 409,
  DOWNGRADE_BELOW_USAGE: 409,
  TRIAL_NOT_AVAILABLE: 409,
  AUTOPAY_NOT_AVAILABLE: 409,
  AUTOPAY_LIMIT_EXCEEDED: 422,
  IDEMPOTENCY_KEY_REUSED: 409,
  QUOTA_EXCEEDED: 429,
  UNKNOWN_METRIC: 400,
  REFUND_NOT_ALLOWED: 409,
  REFUND_EXCEEDS_PAID: 422,
  REFUND_IN_PROGRESS: 409,
  PAYMENT_PROVIDER_REJECTED: 502,
  PAYMENT_PROVIDER_UNAVAILABLE: 503,
  PAYMENT_OUTCOME_UNKNOWN: 503,
  PAYMENT_LINK_LOST: 502,
  STORE_UNAVAILABLE: 503,
  CONFLICT: 409,
  /** A webhook delivery whose signature is missing or wrong (a gateway's own signed webhooks): nothing changed. */
  WEBHOOK_REJECTED: 401,
  /** A checkout's posted-back gateway result that is not genuinely the gateway's (a forged or mismatched signature). */
  CHECKOUT_RETURN_INVALID: 400,
  /** A stored row names a gateway this manager was not given: a set-up mistake, not the caller's. */
  GATEWAY_NOT_CONFIGURED: 500,
} as const;

/** The `code` of a `BillingError`: one of `BILLING_ERROR_CODES`. */
export type BillingErrorCode = keyof typeof BILLING_ERROR_CODES;

/**
 * An error from `SubscriptionManager`: a stable `code`, the HTTP `status` it maps to, a message that
 * says what failed and what to do, and optional `details` safe to show the caller.
 *
 * @example
 * try { await billing.createCheckout(input); } catch (e) { if (isBillingError(e)) console.log(e.code, e.status); }
 */
export class BillingError extends Error {
  override readonly name: string = 'BillingError';
  readonly status: number;
  constructor(
    readonly code: BillingErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    brandError(this, 'BillingError');
    this.status = BILLING_ERROR_CODES[code];
    this.details = options?.details ?? {};
  }
  readonly details: Record<string, unknown>;
}

/** True when `error` is a {@link BillingError}, from whichever copy of the library threw it (the class carries a registry-wide brand). */
export function isBillingError(error: unknown): error is BillingError {
  return hasErrorBrand(error, 'BillingError');
}

/**
 * A failed creating call (checkout order, mandate set-up, refund, pre-debit notice, debit) when it was the
 * gateway's explicit refusal, with its code; otherwise `null`. Only a refusal may mark a row `failed`: lost,
 * unreadable or "already used" answers, timeouts, 5xx and rate limits are not — the gateway may have acted
 * (or may act on a retry with the same id) — so the row is left for a status check or reconciliation.
 *
 * @example
 * const refusal = explicitRefusal(ctx.gateway, error); if (refusal) await markFailed(refusal.code); else leaveForReconciliation();
 */
export function explicitRefusal(
  gateway: Pick<PaymentGateway, 'classifyFailure'>,
  error: unknown,
): GatewayFailure | null {
  const failure = gateway.classifyFailure(error);
  return failure?.kind === 'refused' ? failure : null;
}

/**
 * Turns a failed gateway call into a `BillingError`: the gateway (or the way to it) being down, slow or
 * rate-limiting is `PAYMENT_PROVIDER_UNAVAILABLE` (503, try again); a creating call whose outcome is
 * unknown is `PAYMENT_OUTCOME_UNKNOWN` (503); the gateway refusing a request we validated (bad
 * credentials, a rule we did not know) is `PAYMENT_PROVIDER_REJECTED` (502, needs a person).
 * Anything that is not one of the gateway's errors is returned unchanged. Messages name the gateway.
 */
export function providerError(
  gateway: Pick<PaymentGateway, 'classifyFailure' | 'displayName' | 'name'>,
  error: unknown,
  what: string,
): unknown {
  const failure = gateway.classifyFailure(error);
  if (!failure) return error;
  const by = gateway.displayName;
  if (failure.kind === 'outcome_unknown') {
    return new BillingError(
      'PAYMENT_OUTCOME_UNKNOWN',
      `${by} did not answer while ${what}, and whether it happened is not yet known; try again in a minute (reconciliation settles it).`,
      { cause: error },
    );
  }
  if (failure.kind === 'unavailable') {
    return new BillingError(
      'PAYMENT_PROVIDER_UNAVAILABLE',
      `${by} is unavailable while ${what} (${failure.code}); try again in a minute.`,
      { cause: error },
    );
  }
  // `phonepeCode` is kept for PhonePe (hosts read it); every gateway's code is also `gatewayCode`.
  const code = gateway.name === 'phonepe' ? { phonepeCode: failure.code } : {};
  return new BillingError(
    'PAYMENT_PROVIDER_REJECTED',
    `${by} refused the request while ${what} (${failure.code}${failure.gatewayMessage ? `: ${failure.gatewayMessage}` : ''}); check the ${by} credentials and configuration.`,
    { cause: error, details: { gateway: gateway.name, gatewayCode: failure.code, ...code } },
  );
}

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

/**
 * Validates a method's input with its zod schema; a failure is a `BillingError` `INVALID_INPUT` whose
 * message names the first bad field (and `details.fields` lists all of them).
 *
 * @example
 * const input = parseInput(createCheckoutInputSchema, raw, 'createCheckout');
 */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown, method: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((issue) => ({
    field: issue.path.join('.') || '(input)',
    message: issue.message,
  }));
  const first = fields[0];
  throw new BillingError(
    'INVALID_INPUT',
    `${method}: ${first ? `${first.field}: ${first.message}` : 'invalid input'}.`,
    { details: { fields } },
  );
}
