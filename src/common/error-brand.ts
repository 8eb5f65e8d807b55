/**
 * Error classes carry a registry-wide symbol per family, so the `is…` guards work even when two copies of
 * the library are loaded in one process (an ESM and a CJS consumer, two versions in node_modules), where
 * `instanceof` would answer false for the other copy's instances.
 */
const brand = (family: string) => Symbol.for(`phonepe-billing.${family}`);

/** Marks `error` as a member of `family` (call in the family's base constructor). */
export function brandError(error: Error, family: string): void {
  Object.defineProperty(error, brand(family), { value: true });
}

/**
 * True when `error` was marked as a member of `family` by either copy of the library.
 *
 * @example
 * export const isBillingError = (e: unknown): e is BillingError => hasErrorBrand(e, 'BillingError');
 */
export function hasErrorBrand(error: unknown, family: string): boolean {
  return error instanceof Error && (error as unknown as Record<symbol, unknown>)[brand(family)] === true;
}
