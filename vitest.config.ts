import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// `npm test` runs the suite without test/reliability; `npm run test:reliability` (scripts/test-reliability.mjs,
// which sets RELIABILITY_SUITE=1) runs the reliability scenarios — crashes, storms, the database restarted,
// fuzzing — and writes RELIABILITY.md. CI (.ci/run) runs both.
const reliability = process.env.RELIABILITY_SUITE === '1';

// Pure unit tests (no database, child process, server or global state): one module graph per worker thread
// instead of a fresh process per file, which spends less CPU on starting and importing.
const unit = [
  'test/client/**/*.test.ts',
  // razorpay-requester.test.ts runs real HTTP servers: it belongs to the integration project.
  'test/razorpay/razorpay-!(requester).test.ts',
  'test/webhooks/**/*.test.ts',
  'test/common/**/*.test.ts',
  'test/storage/memory/memory-store.test.ts',
  'test/architecture/**/*.test.ts',
];

// Files that patch process-wide globals (msw intercepts node:http and fetch for the whole process) get a
// process of their own, so no other file in the same worker sees the patch.
const ownProcess = [
  'test/testing/phonepe-handlers.test.ts',
  'test/testing/razorpay/razorpay-handlers.test.ts',
  'test/docs/code-blocks.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Migrates once per run what test files then copy: a PostgreSQL template database, a PGlite snapshot.
    globalSetup: ['test/support/global-setup.ts'],
    // Real PostgreSQL, PGlite, chromium and HTTP servers: give each file its own process.
    pool: 'forks',
    // Vitest's default is one worker less than the cores: a single worker on a 2-core machine. Most test time
    // here is waiting (PostgreSQL, child processes, HTTP round trips, emulator delays), so three workers overlap
    // it: on the 2-core machine, the same files in 92 s instead of 166 s for the same CPU time. The reliability
    // scenarios (crashes, storms, memory) keep the default.
    ...(reliability ? {} : { maxWorkers: Math.max(3, availableParallelism() - 1) }),
    reporters: ['default'],
    ...(reliability
      ? { include: ['test/reliability/**/*.test.ts'], exclude: ['**/node_modules/**'] }
      : {
          // Each project names its own files (a project's include and exclude add to the root's).
          projects: [
            { extends: true, test: { name: 'unit', include: unit, pool: 'threads', isolate: false } },
            {
              extends: true,
              test: {
                name: 'integration',
                include: ['test/**/*.test.ts'],
                exclude: ['**/node_modules/**', 'test/reliability/**', ...unit, ...ownProcess],
                // One process per worker imports the library, kysely, pg and PGlite once for all the files it
                // runs, instead of once per file: on the 2-core machine that took the suite from 168 to 105
                // CPU-seconds. Files keep their state to themselves (their own servers, stores and databases).
                isolate: false,
              },
            },
            { extends: true, test: { name: 'own-process', include: ownProcess } },
          ],
        }),
  },
});
