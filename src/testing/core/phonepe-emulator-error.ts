/**
 * A refusal the emulator answers the way PhonePe does (phonepe-api.md §6): a business error
 * `{code, message}` (plus `success: false` where PhonePe's docs show it), or a gateway error
 * `{errorCode, message}` with the `x-api-exception-code` header. Control calls throw it too.
 *
 * @example
 * try { await emu.completeOrder('nope'); }
 * catch (error) { if (isPhonePeEmulatorError(error)) console.log(error.status, error.code); } // 404 INVALID_MERCHANT_ORDER_ID
 */
export class PhonePeEmulatorError extends Error {
  override readonly name = 'PhonePeEmulatorError' as const;
  constructor(
    /** The HTTP status the emulator answers with. */
    readonly status: number,
    /** PhonePe's code, e.g. `INVALID_MERCHANT_ORDER_ID` or (gateway) `PR004`. */
    readonly code: string,
    message: string,
    readonly options: { gateway?: boolean; success?: false } = {},
  ) {
    super(message);
  }
}

/**
 * True when `error` is a {@link PhonePeEmulatorError}.
 *
 * @example
 * await emu.completeOrder(id).catch((e) => { if (!isPhonePeEmulatorError(e)) throw e; });
 */
export function isPhonePeEmulatorError(error: unknown): error is PhonePeEmulatorError {
  return error instanceof PhonePeEmulatorError;
}

/** 400 `BAD_REQUEST` with a message naming the field (§6). */
export function badRequest(message: string): PhonePeEmulatorError {
  return new PhonePeEmulatorError(400, 'BAD_REQUEST', message);
}

/** Unknown order: `INVALID_MERCHANT_ORDER_ID` with PhonePe's message; 404 is our choice (§2.3, UNCONFIRMED). */
export function unknownOrder(): PhonePeEmulatorError {
  return new PhonePeEmulatorError(404, 'INVALID_MERCHANT_ORDER_ID', 'No entry found for given merchant order id');
}

/** Gateway 401 `PR004` (§6), for a missing, unknown or expired token and bad client credentials. */
export function unauthorized(): PhonePeEmulatorError {
  return new PhonePeEmulatorError(401, 'PR004', 'Unauthorized', { gateway: true });
}
