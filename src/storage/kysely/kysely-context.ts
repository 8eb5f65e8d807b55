import type { Transaction } from 'kysely';
import type { IdGenerator } from '../../shared/id-generator.js';
import type { BillingDatabase } from './billing-database.js';

/** What each Kysely repository works on inside one transaction. */
export interface KyselyContext {
  readonly trx: Transaction<BillingDatabase>;
  /** The scope's workspace; `null` under the system scope. */
  readonly workspace: string | null;
  readonly ids: IdGenerator;
}
