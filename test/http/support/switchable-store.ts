import type {
  BillingStore,
  BillingTransaction,
  StoreScope,
  UsageMeterRequest,
  UsageMeterResult,
} from '../../../src/storage/billing-store.js';
import { StoreUnavailableError } from '../../../src/storage/errors.js';

/**
 * A real store with an outage switch: while `down` is set, every transaction (and metered call) fails with
 * `StoreUnavailableError`, exactly as `KyselyStore` does when PostgreSQL cannot be reached.
 */
export class SwitchableStore implements BillingStore {
  down = false;
  constructor(readonly inner: BillingStore) {}

  transaction<T>(scope: StoreScope, fn: (tx: BillingTransaction) => Promise<T>): Promise<T> {
    if (this.down)
      return Promise.reject(new StoreUnavailableError('connect ECONNREFUSED 127.0.0.1:5432 (test outage)'));
    return this.inner.transaction(scope, fn);
  }

  meterUsage(request: UsageMeterRequest): Promise<UsageMeterResult> {
    if (this.down)
      return Promise.reject(new StoreUnavailableError('connect ECONNREFUSED 127.0.0.1:5432 (test outage)'));
    return this.inner.meterUsage(request);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
