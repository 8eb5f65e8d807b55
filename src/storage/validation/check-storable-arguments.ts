import { MAX_JSON_DEPTH } from '../../common/json-nesting.js';
import { describeUnstorable, findUnstorableValue } from '../../common/unstorable-text.js';
import { StoreInputError } from '../errors/store-input-error.js';

/**
 * Refuses, before an operation runs, any argument holding a string PostgreSQL cannot store (NUL,
 * lone surrogate) or JSON nested deeper than `MAX_JSON_DEPTH` — in ids, records, patches and JSON
 * payloads alike. Both stores call it for every operation (see `TransactionGuard`), so they refuse
 * exactly the same input, with the same error, instead of a driver error or a stack overflow.
 *
 * @example
 * checkStorableArguments('subscriptions.update', [id, 3, { cancellationReason: 'a\u0000' }, now]); // throws StoreInputError
 */
export function checkStorableArguments(operation: string, args: readonly unknown[]): void {
  for (const [index, arg] of args.entries()) {
    const found = findUnstorableValue(arg, MAX_JSON_DEPTH);
    if (!found) continue;
    const field = found.path === '(value)' ? `argument ${index + 1}` : found.path;
    const what = describeUnstorable({ path: field, problem: found.problem });
    throw new StoreInputError(
      operation,
      field,
      found.problem,
      `Invalid input to ${operation}: ${what}, which the billing store cannot hold; clean the value before passing it in. Nothing was written.`,
    );
  }
}
