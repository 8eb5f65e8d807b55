import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

// The public entry points (package.json "exports") and the CLI (package.json "bin").
const LIBRARY_ENTRIES = {
  index: 'src/index.ts',
  client: 'src/entries/client.ts',
  razorpay: 'src/entries/razorpay.ts',
  storage: 'src/entries/storage.ts',
  kysely: 'src/storage/kysely/index.ts',
  express: 'adapters/express/index.ts',
  fastify: 'adapters/fastify/index.ts',
  hono: 'adapters/hono/index.ts',
  testing: 'src/testing/index.ts',
} as const;

/**
 * `import { z } from 'zod'` binds zod's whole namespace object, which esbuild cannot tree-shake: the
 * bundle would carry every locale zod ships (64 modules, ~600 KB). `import * as z from 'zod'` is the
 * same namespace to the code but lets esbuild keep only what is used, so the source is read that way.
 * Any other value import of zod would silently bring the locales back, hence the build error.
 */
const zodNamespaceImports: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'zod-namespace-imports',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes("'zod'")) return undefined;
      const contents = source.replace(/^import \{ z \} from 'zod';$/gm, "import * as z from 'zod';");
      const other = /^import (?!type |\* as z from)[^;]*from 'zod';$/m.exec(contents);
      if (other)
        return {
          errors: [
            {
              text: `${args.path}: import zod as \`import { z } from 'zod'\` (found \`${other[0]}\`) so the bundle can leave zod's locales out`,
            },
          ],
        };
      return { contents, loader: 'ts' };
    });
  },
};

/**
 * After the build: the CommonJS side of each entry point. Node 20.19+ and 22.12+ (package.json
 * "engines") load ES modules with `require()` — the CommonJS build already needed that for ky —, so `<entry>.cjs` only re-exports the ES build — one copy of the
 * code (and of every class, so `instanceof` holds across `import` and `require`) instead of two.
 * The declarations are emitted once, as `.d.cts`; each `.d.ts` re-exports its `.d.cts`.
 * zod's runtime is bundled (tree-shaken), so its licence ships next to it.
 */
function writeEntryShims(): void {
  for (const name of Object.keys(LIBRARY_ENTRIES)) {
    writeFileSync(
      join('dist', `${name}.cjs`),
      `'use strict';\n// The ES module build, loaded with require() (Node 20.19+, 22.12+).\nmodule.exports = require('./${name}.js');\n`,
    );
    writeFileSync(join('dist', `${name}.d.ts`), `export * from './${name}.cjs';\n`);
  }
  const zodPackage = createRequire(import.meta.url).resolve('zod/package.json');
  copyFileSync(join(dirname(zodPackage), 'LICENSE'), join('dist', 'zod.LICENSE'));
}

export default defineConfig([
  // One ES build for every entry point and the CLI, so they share chunks; zod bundled, peers external.
  {
    entry: { ...LIBRARY_ENTRIES, cli: 'src/cli/main.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    noExternal: ['zod'],
    esbuildPlugins: [zodNamespaceImports],
    splitting: true,
    treeshake: false,
    sourcemap: false,
    // The declaration build below writes only at its end, long after this clean.
    clean: true,
    dts: false,
    onSuccess: async () => writeEntryShims(),
  },
  // The declarations, once, as .d.cts (what `require` resolves to); writeEntryShims adds each .d.ts.
  {
    entry: LIBRARY_ENTRIES,
    format: ['cjs'],
    target: 'node20',
    platform: 'node',
    clean: false,
    dts: { only: true, compilerOptions: { ignoreDeprecations: '6.0' } },
  },
]);
