import { defineConfig } from 'vitest/config';

// `npm test` runs the suite without test/reliability; `npm run test:reliability` (scripts/test-reliability.mjs,
// which sets RELIABILITY_SUITE=1) runs the reliability scenarios — crashes, storms, the database restarted,
// fuzzing — and writes RELIABILITY.md. CI (.ci/run) runs both.
const reliability = process.env.RELIABILITY_SUITE === '1';

export default defineConfig({
  test: {
    include: reliability ? ['test/reliability/**/*.test.ts'] : ['test/**/*.test.ts'],
    exclude: reliability ? ['**/node_modules/**'] : ['**/node_modules/**', 'test/reliability/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Migrates once per run what test files then copy: a PostgreSQL template database, a PGlite snapshot.
    globalSetup: ['test/support/global-setup.ts'],
    // Real PostgreSQL, PGlite, chromium and HTTP servers: give each file its own process.
    pool: 'forks',
    reporters: ['default'],
  },
});
