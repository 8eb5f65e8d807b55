// phonepe-billing/kysely — KyselyStore on PostgreSQL or PGlite, migrations, pg and PGlite helpers.
// Node-only: this entry may import kysely, pg and PGlite (the latter two lazily, inside the helpers).
export { KyselyStore } from './kysely-store.js';
export type { KyselyStoreOptions } from './kysely-store.js';
export { createPgStore } from './create-pg-store.js';
export type { CreatePgStoreOptions } from './create-pg-store.js';
export { createPgliteStore } from './create-pglite-store.js';
export type { CreatePgliteStoreOptions } from './create-pglite-store.js';
export type { PgPoolLike } from './pg-pool.js';
export { createPgTypeParsers } from './kysely-tables.js';
export type { PgTypeParsers } from './kysely-tables.js';
export {
  migrateToLatest,
  findMigrationsFolder,
  readMigrationFiles,
  MigrationError,
  isMigrationError,
  MIGRATION_ERROR_CODES,
} from './migrations.js';
export type { MigrateOptions, MigrateResult, MigrationFile, MigrationErrorCode } from './migrations.js';
export {
  mapPgError,
  StorePrivilegeError,
  isStorePrivilegeError,
  StoreSetupError,
  isStoreSetupError,
} from './errors.js';
export { SYSTEM_ROLE } from './apply-scope.js';
