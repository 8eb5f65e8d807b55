import { checkStorableArguments } from './validation.js';

/**
 * Enforces a transaction's lifetime rules (see `BillingStore.transaction`) for both stores: an
 * operation that throws dooms the transaction (later operations rethrow that error and the
 * transaction rolls back even if the callback swallowed it), and `tx` is unusable once the
 * callback has settled. It also refuses, for every operation, arguments no store can hold (see
 * `checkStorableArguments`), so both stores answer such input with the same `StoreInputError`.
 *
 * @example
 * const guard = new TransactionGuard();
 * const insert = guard.wrap((p: PaymentRecord) => writePayment(p));
 */
export class TransactionGuard {
  #ended = false;
  #failure: { error: unknown } | null = null;

  /** @param mapError turns a driver error into a store error (the KyselyStore maps pg errors). */
  constructor(private readonly mapError: (error: unknown) => unknown = (error) => error) {}

  /** Wraps one operation (named `name` in errors, e.g. `payments.insert`) so that it obeys the rules above. */
  wrap<A extends unknown[], R>(
    operation: (...args: A) => Promise<R>,
    name = 'a store operation',
  ): (...args: A) => Promise<R> {
    return async (...args) => {
      this.#assertUsable();
      try {
        checkStorableArguments(name, args);
        return await operation(...args);
      } catch (raw) {
        const error = this.mapError(raw);
        this.#failure ??= { error };
        throw error;
      }
    };
  }

  /** Wraps every method of a repository object (`label` prefixes the operation names: `payments`). */
  wrapAll<T extends object>(repository: T, label = 'store'): T {
    const wrapped: Record<string, unknown> = {};
    for (const [name, method] of Object.entries(repository)) {
      wrapped[name] =
        typeof method === 'function'
          ? this.wrap(method as (...args: unknown[]) => Promise<unknown>, `${label}.${name}`)
          : method;
    }
    return wrapped as T;
  }

  /** Wraps every repository of a transaction (each store builds its own, then guards them here). */
  wrapTransaction<T extends Record<string, object>>(repositories: T): T {
    return Object.fromEntries(
      Object.entries(repositories).map(([name, repository]) => [name, this.wrapAll(repository, name)]),
    ) as T;
  }

  /** Throws the error that doomed the transaction, if any (called before committing). */
  throwIfDoomed(): void {
    if (this.#failure) throw this.#failure.error;
  }

  /** Marks the transaction as settled: every later operation throws. */
  end(): void {
    this.#ended = true;
  }

  #assertUsable(): void {
    if (this.#ended) {
      throw new Error(
        'This store transaction has already ended; use `tx` only inside the transaction callback, and await every operation.',
      );
    }
    this.throwIfDoomed();
  }
}
