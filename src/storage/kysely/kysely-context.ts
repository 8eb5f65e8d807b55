import type { Kysely } from 'kysely';
import type { IdGenerator } from '../../common/id-generator.js';
import type { BillingDatabase } from './billing-database.js';

/** What each Kysely repository works on inside one transaction. */
export interface KyselyContext {
  /** The transaction's connection (BEGIN and COMMIT are the store's). */
  readonly trx: Kysely<BillingDatabase>;
  /** The scope's workspace; `null` under the system scope. */
  readonly workspace: string | null;
  readonly ids: IdGenerator;
}
