// phonepe-billing/kysely — KyselyStore, migrations, pg and PGlite helpers (issue 4).
export {};
