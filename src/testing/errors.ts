import { brandError, hasErrorBrand } from '../common/error-brand.js';
import { InvalidOptionsError } from '../common/invalid-options.js';
/**
 * A refusal the emulator answers the way PhonePe does (docs/phonepe-protocol.md#errors): a business error
 * `{code, message}` (plus `success: false` where PhonePe's docs show it), or a gateway error
 * `{errorCode, message}` with the `x-api-exception-code` header. Control calls throw it too.
 *
 * @example
 * try { await emu.completeOrder('nope'); }
 * catch (error) { if (isPhonePeEmulatorError(error)) console.log(error.status, error.code); } // 404 NOT_FOUND
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
    brandError(this, 'PhonePeEmulatorError');
  }
}

/**
 * True when `error` is a {@link PhonePeEmulatorError}.
 *
 * @example
 * await emu.completeOrder(id).catch((e) => { if (!isPhonePeEmulatorError(e)) throw e; });
 */
export function isPhonePeEmulatorError(error: unknown): error is PhonePeEmulatorError {
  return hasErrorBrand(error, 'PhonePeEmulatorError');
}

/** 400 `BAD_REQUEST` with a message naming the field (docs/phonepe-protocol.md#errors). */
export function badRequest(message: string): PhonePeEmulatorError {
  return new PhonePeEmulatorError(400, 'BAD_REQUEST', message);
}

/**
 * Unknown order: the order-status page's body (`INVALID_MERCHANT_ORDER_ID`, "No entry found for given
 * merchant order id") with the 400 PhonePe's Node SDK tests use for an unknown order
 * (docs/phonepe-protocol.md#unsettled-unknown-order). `status` 404 is for a family that does not
 * serve the order (`wrongFamilyStatus`).
 */
export function unknownOrder(status: 400 | 404 = 400): PhonePeEmulatorError {
  return new PhonePeEmulatorError(status, 'INVALID_MERCHANT_ORDER_ID', 'No entry found for given merchant order id');
}

/** Unknown subscription: 400 `SUBSCRIPTION_NOT_FOUND`, as integrators report PhonePe answers it (docs/phonepe-protocol.md#unsettled-unknown-order). */
export function unknownSubscription(status: 400 | 404 = 400): PhonePeEmulatorError {
  return new PhonePeEmulatorError(
    status,
    'SUBSCRIPTION_NOT_FOUND',
    'No subscription found for given merchant subscription id',
  );
}

/** Unknown refund: 400 `REFUND_NOT_FOUND` (the code of PhonePe's Go SDK tests, with the status of the other not-found answers). */
export function unknownRefund(): PhonePeEmulatorError {
  return new PhonePeEmulatorError(400, 'REFUND_NOT_FOUND', 'No entry found for given merchant refund id');
}

/** Unknown transaction id: 400 `MAPPING_NOT_FOUND`, as in PhonePe's Node SDK tests (`tests/transaction.test.ts`). */
export function unknownTransaction(): PhonePeEmulatorError {
  return new PhonePeEmulatorError(400, 'MAPPING_NOT_FOUND', 'No entry found for Merchant');
}

/** Gateway 401 `PR004` (docs/phonepe-protocol.md#errors), for a missing, unknown or expired token and bad client credentials. */
export function unauthorized(): PhonePeEmulatorError {
  return new PhonePeEmulatorError(401, 'PR004', 'Unauthorized', { gateway: true });
}

/**
 * `startPhonePeEmulator`, `phonePeHandlers` or a control call got options it cannot use (unknown key,
 * wrong type, two merchants with one id): the library's one {@link InvalidOptionsError}, under the name
 * this entry point has always exported, so `instanceof EmulatorOptionsError` keeps working.
 *
 * @example
 * try { await startPhonePeEmulator({ prot: 0 } as never); }
 * catch (error) { if (isInvalidOptionsError(error)) console.log(error.option, error.message); }
 */
export const EmulatorOptionsError = InvalidOptionsError;
/** The type of {@link EmulatorOptionsError}: `InvalidOptionsError`. */
export type EmulatorOptionsError = InvalidOptionsError;

/**
 * The emulator's server could not listen (port taken, host not available).
 *
 * @example
 * try { await startPhonePeEmulator({ port: 8787 }); }
 * catch (error) { if (error instanceof EmulatorStartError) await startPhonePeEmulator({ port: 0 }); }
 */
export class EmulatorStartError extends Error {
  override readonly name = 'EmulatorStartError' as const;
  readonly code = 'EMULATOR_START_FAILED' as const;
}

/**
 * `phonePeHandlers()` was called but the optional peer dependency msw (2.x) is not installed.
 *
 * @example
 * try { phonePeHandlers(); } catch (error) { if (error instanceof MswNotInstalledError) console.log(error.message); }
 */
export class MswNotInstalledError extends Error {
  override readonly name = 'MswNotInstalledError' as const;
  readonly code = 'MSW_NOT_INSTALLED' as const;
}
