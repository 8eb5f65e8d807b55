import type { Logger } from '../common/logger.js';
import {
  isRazorpayError,
  isRazorpayNetworkError,
  isRazorpayResponseError,
  isRazorpayServerError,
  isRazorpayTimeoutError,
  type RazorpayCreatingOperation,
  type RazorpayError,
  RazorpayOutcomeUnknownError,
} from './razorpay-errors.js';

/**
 * How a creating call's failure is read:
 * - `refused`: Razorpay said no before doing anything — a 4xx carrying its error body, a 401/403 (keys
 *   refused), a 429 (throttled) — or our own validation stopped the call: the error is thrown as it is;
 * - `unknown`: Razorpay may have acted — a timeout, a dropped connection, a 5xx or 408, a 409 (an earlier
 *   request with the same idempotency key is still being processed), a 2xx that could not be read, a 4xx
 *   without Razorpay's error body (a proxy's page): the object is looked up.
 *
 * @example
 * classifyRazorpayCreatingFailure(new RazorpayTimeoutError({ httpMethod: 'POST', path: '/orders', timeoutMs: 1, cause: undefined })); // 'unknown'
 */
export function classifyRazorpayCreatingFailure(error: unknown): 'refused' | 'unknown' {
  if (!isRazorpayError(error)) return 'refused';
  if (isRazorpayTimeoutError(error) || isRazorpayNetworkError(error)) return 'unknown';
  if (isRazorpayServerError(error) || isRazorpayResponseError(error)) return 'unknown';
  const status = error.status;
  // 409: Razorpay is still working on an earlier request with the same idempotency key (a refund sent again).
  if (status === 409) return 'unknown';
  if (status === undefined || status === 401 || status === 403 || status === 429) return 'refused';
  return error.razorpay === undefined ? 'unknown' : 'refused';
}

/** How to find out what became of a creating call whose answer was lost. */
export interface RazorpayCreatingCheck<T> {
  operation: RazorpayCreatingOperation;
  /** What the object is found by (a receipt, an order id, the customer's contact), for messages. */
  reference: string;
  /** Names the reference in messages: `receipt`, `order_id`, … */
  referenceName: string;
  /** Finds the object Razorpay may have created; undefined when Razorpay has none. */
  lookup: () => Promise<T | undefined>;
  logger: Logger;
}

/**
 * Sends a creating call once — never re-sent blindly, since Razorpay may already have acted — and after
 * an `unknown` failure (see {@link classifyRazorpayCreatingFailure}) looks the object up: found → it is
 * returned as if the answer had arrived; not found → {@link RazorpayOutcomeUnknownError} `created: false`;
 * the lookup failed too → `created: null`.
 *
 * @example
 * const order = await sendRazorpayCreating(() => post(), { operation: 'createOrder', reference: 'r1', referenceName: 'receipt', lookup, logger });
 */
export async function sendRazorpayCreating<T>(send: () => Promise<T>, check: RazorpayCreatingCheck<T>): Promise<T> {
  try {
    return await send();
  } catch (failure) {
    if (classifyRazorpayCreatingFailure(failure) === 'refused') throw failure;
    const error = failure as RazorpayError;
    const subject = `Razorpay ${check.operation} for ${check.referenceName} "${check.reference}"`;
    check.logger.warn(
      { operation: check.operation, reference: check.reference, code: error.code },
      'Razorpay creating call may have been acted on; looking it up',
    );
    let found: T | undefined;
    try {
      found = await check.lookup();
    } catch (lookupError) {
      const code = isRazorpayError(lookupError) ? lookupError.code : 'UNKNOWN';
      throw new RazorpayOutcomeUnknownError({
        message: `${subject} failed in transit or was answered unreadably (${error.code}) and the lookup failed too (${code}): it may have happened. Look it up later before creating it again.`,
        operation: check.operation,
        reference: check.reference,
        created: null,
        cause: error,
        lookupError,
      });
    }
    if (found !== undefined) {
      check.logger.info(
        { operation: check.operation, reference: check.reference },
        'Razorpay creating call had been acted on; the lookup found the object',
      );
      return found;
    }
    throw new RazorpayOutcomeUnknownError({
      message: `${subject} failed in transit or was answered unreadably (${error.code}) and Razorpay shows nothing for it: it was most likely not created. Creating it again with the same ${check.referenceName} is safe.`,
      operation: check.operation,
      reference: check.reference,
      created: false,
      cause: error,
    });
  }
}
