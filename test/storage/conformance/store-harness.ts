import type { BillingStore } from '../../../src/storage/index.js';

/** One backend under test, as the conformance suite sees it. */
export interface StoreHarness {
  /** The store the tests use (replaced by `reset` on backends that start over with a new one). */
  store: BillingStore;
  /**
   * `n` stores that act like separate processes: separate pools on a real server; the same store on
   * memory and PGlite, whose guarantees come from serialising transactions.
   */
  workers(n: number): Promise<BillingStore[]>;
  /** Empties every table. */
  reset(): Promise<void>;
  close(): Promise<void>;
}
