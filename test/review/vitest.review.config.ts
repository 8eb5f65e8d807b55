import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Review reproductions: named *.review.ts so the main suite (test/**/*.test.ts) does not pick them up
// while they fail. Run: npx vitest run --config test/review/vitest.review.config.ts
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/review/**/*.review.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
