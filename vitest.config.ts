import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Real PostgreSQL, PGlite, chromium and HTTP servers: give each file its own process.
    pool: 'forks',
    reporters: ['default'],
  },
});
