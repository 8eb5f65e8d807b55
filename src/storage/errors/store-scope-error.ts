import { brandError, hasErrorBrand } from '../../common/error-brand.js';
/**
 * A workspace-scoped transaction tried to write a row of another workspace (on PostgreSQL,
 * row-level security refused it).
 *
 * @example
 * await expect(store.transaction({ workspaceId: 'A' }, (tx) => tx.payments.insert({ ...p, workspaceId: 'B' }))).rejects.toThrow(StoreScopeError);
 */
export class StoreScopeError extends Error {
  override readonly name = 'StoreScopeError' as const;
  readonly code = 'STORE_SCOPE' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    brandError(this, 'StoreScopeError');
  }
}

/** True when `error` is a {@link StoreScopeError}, from whichever copy of the library threw it (the class carries a registry-wide brand). */
export function isStoreScopeError(error: unknown): error is StoreScopeError {
  return hasErrorBrand(error, 'StoreScopeError');
}
