import { defineConfig } from 'tsup';

// One build for every public entry point (see package.json "exports").
// ESM + CJS + .d.ts; peers stay external so the host's copies are used.
export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      kysely: 'src/storage/kysely/index.ts',
      express: 'adapters/express/index.ts',
      fastify: 'adapters/fastify/index.ts',
      hono: 'adapters/hono/index.ts',
      testing: 'src/testing/index.ts',
    },
    format: ['esm', 'cjs'],
    target: 'node20',
    platform: 'node',
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    sourcemap: true,
    clean: true,
    shims: true,
    splitting: true,
    treeshake: true,
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
    sourcemap: true,
    clean: false,
  },
]);
