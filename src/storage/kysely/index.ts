// phonepe-billing/kysely — KyselyStore on PostgreSQL or PGlite, migrations, pg and PGlite helpers.
// Node-only: this entry may import kysely, pg and PGlite (the latter two lazily, inside the helpers).
export { KyselyStore } from './kysely-store.js';
export type { KyselyStoreOptions } from './kysely-store.js';
export { createPgStore } from './create-pg-store.js';
export type { CreatePgStoreOptions } from './create-pg-store.js';
export { createPgliteStore } from './create-pglite-store.js';
export type { CreatePgliteStoreOptions } from './create-pglite-store.js';
export type { PgPoolLike } from './pg-pool-like.js';
export { createPgTypeParsers } from './pg-type-parsers.js';
export type { PgTypeParsers } from './pg-type-parsers.js';
export { migrateToLatest } from './migrate-to-latest.js';
export type { MigrateOptions, MigrateResult } from './migrate-to-latest.js';
export { findMigrationsFolder, readMigrationFiles } from './migration-files.js';
export type { MigrationFile } from './migration-files.js';
export { MigrationError, isMigrationError, MIGRATION_ERROR_CODES } from './migration-error.js';
export type { MigrationErrorCode } from './migration-error.js';
export { mapPgError } from './map-pg-error.js';
export { StorePrivilegeError, isStorePrivilegeError } from './store-privilege-error.js';
export { StoreSetupError, isStoreSetupError } from './store-setup-error.js';
export { SYSTEM_ROLE } from './apply-scope.js';
