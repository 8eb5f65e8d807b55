import { z } from 'zod';
import { BillingError } from '../billing/errors.js';
import { parseRupeeAmount } from '../billing/money.js';

// Plan ids as plans declare them (a-z, 0-9, _ and -), with room for upper case from stored plans.
const planId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, 'must be 1–63 characters of letters, digits, _ and -');
const rupees = z.union([z.string().max(32), z.number()], { error: 'must be a rupee amount such as "2999.00"' });
const returnUrl = z.string().min(1).max(2048);
const reason = z.string().max(500).nullable();

/** `POST /payments/create`. */
export const createPaymentBody = z.strictObject({
  plan_id: planId,
  amount: rupees,
  currency: z.string().min(1).max(8).optional(),
  return_url: returnUrl,
  autopay: z.boolean().optional(),
});

/** `PUT /subscriptions/cancel`. */
export const cancelBody = z.strictObject({
  cancellation_reason: reason.optional(),
  at_period_end: z.boolean().optional(),
});

/** `POST /subscriptions/change-plan`. */
export const changePlanBody = z.strictObject({
  plan_id: planId,
  return_url: returnUrl.optional(),
  force: z.boolean().optional(),
});

/** `POST /subscriptions/resume`: no fields. */
export const resumeBody = z.strictObject({});

/** `POST /payments/{order_id}/refund`. */
export const refundBody = z.strictObject({
  amount: rupees.optional(),
  reason: reason.optional(),
});

const UNKNOWN = 'is not a known field';

/** Merchant order ids (docs/phonepe-protocol.md#conventions: ≤ 63 characters of A-Z a-z 0-9 _ -). */
export const ORDER_ID = /^[A-Za-z0-9_-]{1,63}$/;
// The manager's rule for idempotency keys: printable ASCII without spaces.
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Validates a parsed JSON body; a failure is `INVALID_INPUT` (400) naming every bad or unknown
 * field (`details.fields`), the first one in the message.
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: [...issue.path, key].join('.'), message: UNKNOWN }))
      : [{ field: issue.path.join('.') || '(body)', message: issue.message.replace(/^Invalid input: /, '') }],
  );
  const first = fields[0] ?? { field: '(body)', message: 'is invalid' };
  const known = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  const headline =
    first.message === UNKNOWN
      ? `Unknown field "${first.field}"; known fields: ${known.join(', ') || '(none)'}`
      : `${first.field}: ${first.message}`;
  throw new BillingError('INVALID_INPUT', `${headline}.`, { details: { fields } });
}

/** Rupees from the wire → exact integer paise, or `INVALID_AMOUNT` (400). */
export function paiseFrom(amount: string | number, field = 'amount'): number {
  const result = parseRupeeAmount(amount);
  if (result.ok) return result.paise;
  throw new BillingError('INVALID_AMOUNT', `${result.message.replace(/^amount/, field)}.`, {
    details: { field, problem: result.problem },
  });
}

/** The `Idempotency-Key` header, if sent and well formed (`INVALID_INPUT` otherwise). */
export function idempotencyKeyOf(request: Request): string | undefined {
  const key = request.headers.get('idempotency-key');
  if (key === null) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new BillingError(
      'INVALID_INPUT',
      'The Idempotency-Key header must be 1–255 printable ASCII characters without spaces.',
      { details: { fields: [{ field: 'Idempotency-Key', message: 'invalid' }] } },
    );
  }
  return key;
}
