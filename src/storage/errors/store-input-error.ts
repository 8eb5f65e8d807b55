import { brandError, hasErrorBrand } from '../../common/error-brand.js';
import type { UnstorableProblem } from '../../common/unstorable-text.js';

/**
 * What was wrong with a store operation's input: `invalid` (the record or query does not have the
 * shape the store accepts — a programming error in the caller) or one of the values no store can
 * hold (`nul_character`, `lone_surrogate`, `too_deep`; see `UnstorableProblem`).
 */
export type StoreInputProblem = 'invalid' | UnstorableProblem;

/**
 * A store refused an operation's input before writing or reading anything: a malformed record or
 * query, a string PostgreSQL cannot store (a NUL character or a lone UTF-16 surrogate), or JSON
 * nested deeper than `MAX_JSON_DEPTH`. Every store refuses the same input with this error (the
 * memory store included, though it could hold such strings), so code tested on one behaves the same
 * on the other. It is a `TypeError`: the transaction it happened in rolls back.
 *
 * @example
 * try { await billing.cancel(workspaceId, { reason }); }
 * catch (e) { if (isStoreInputError(e) && e.problem !== 'invalid') return badRequest(`${e.field}: ${e.problem}`); throw e; }
 */
export class StoreInputError extends TypeError {
  override readonly name = 'StoreInputError' as const;
  readonly code = 'STORE_INVALID_INPUT' as const;
  constructor(
    /** The store operation, e.g. `subscriptions.update`. */
    readonly operation: string,
    /** The offending field, as a dotted path into the operation's input (`cancellationReason`, `payload.note`). */
    readonly field: string,
    readonly problem: StoreInputProblem,
    message: string,
  ) {
    super(message);
    brandError(this, 'StoreInputError');
  }
}

/** True when `error` is a {@link StoreInputError}. */
export function isStoreInputError(error: unknown): error is StoreInputError {
  return hasErrorBrand(error, 'StoreInputError');
}
