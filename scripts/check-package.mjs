// `npm run check:package`: checks the package a user would install, not the source tree.
//   1. publint (strict) and attw on the packed tarball;
//   2. every "exports" subpath imported from the packed files, with ESM `import` and CJS `require`;
//   3. a consumer TypeScript project with `skipLibCheck: false` type-checks against the packed
//      .d.ts files under module "nodenext", as ESM and as CJS (catches leaked ESM-only types).
// Needs `npm run build` first.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const work = join(root, '.tmp', 'check-package');
const run = (cmd, args, opts = {}) => {
  process.stdout.write(`$ ${cmd} ${args.join(' ')}\n`);
  execFileSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
};

if (!existsSync(join(root, 'dist', 'index.js'))) {
  console.error('check:package: dist/ is missing; run `npm run build` first.');
  process.exit(1);
}
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const packed = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' }),
);
const tarball = join(work, packed[0].filename);
console.log(`packed ${packed[0].filename}: ${packed[0].entryCount} files, ${packed[0].size} bytes`);
// Files the packaged README tells a user to use must be in the package.
const packedPaths = new Set(packed[0].files.map((file) => file.path));
for (const needed of ['README.md', '.env.phonepe.example', 'migrations/001_create_billing_tables.sql']) {
  if (!packedPaths.has(needed)) {
    console.error(`check:package: ${needed} is not in the package (package.json "files").`);
    process.exit(1);
  }
}

run('npx', ['publint', '--strict']);
run('npx', ['attw', tarball, '--profile', 'node16']);

// A consumer project next to the repo's node_modules, so peers (kysely, pg, express...) resolve.
const consumer = join(work, 'consumer');
const installed = join(consumer, 'node_modules', 'phonepe-billing');
mkdirSync(installed, { recursive: true });
run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const subpaths = Object.keys(pkg.exports).filter((k) => k !== './package.json');
const specifiers = subpaths.map((k) => (k === '.' ? 'phonepe-billing' : `phonepe-billing/${k.slice(2)}`));

const esm = specifiers
  .map(
    (s, i) =>
      `import * as m${i} from '${s}';\nif (Object.keys(m${i}).length === 0) throw new Error('${s} exports nothing (ESM)');`,
  )
  .join('\n');
writeFileSync(join(consumer, 'imports.mjs'), `${esm}\nconsole.log('ESM ok: ${specifiers.join(', ')}');\n`);
const cjs = specifiers
  .map(
    (s) =>
      `{ const m = require('${s}'); if (Object.keys(m).length === 0) throw new Error('${s} exports nothing (CJS)'); }`,
  )
  .join('\n');
writeFileSync(join(consumer, 'imports.cjs'), `${cjs}\nconsole.log('CJS ok: ${specifiers.join(', ')}');\n`);
run('node', ['imports.mjs'], { cwd: consumer });
run('node', ['imports.cjs'], { cwd: consumer });
run('node', [join(installed, pkg.bin['phonepe-billing']), '--help'], { cwd: consumer });

for (const type of ['module', 'commonjs']) {
  const dir = join(consumer, `types-${type}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        types: ['node'],
        typeRoots: [join(root, 'node_modules', '@types')],
      },
      files: ['consumer.ts'],
    }),
  );
  const body = specifiers
    .map((s, i) => `import * as m${i} from '${s}';\nexport const k${i}: string[] = Object.keys(m${i});`)
    .join('\n');
  writeFileSync(join(dir, 'consumer.ts'), `${body}\n`);
  run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(dir, 'tsconfig.json')], { cwd: dir });
  console.log(`types ok as ${type} consumer (skipLibCheck: false)`);
  checkValueExports(dir, type);
}
console.log('check:package: all checks passed');

/**
 * Every name the declarations let a consumer use as a value (a class, function, const or enum) must exist
 * in the runtime module, under `import` and under `require` — a type re-exported the wrong way (`export
 * type *` through a bundler) type-checks and then throws "does not provide an export named".
 */
function checkValueExports(dir, type) {
  const ts = createRequire(import.meta.url)(join(root, 'node_modules', 'typescript'));
  const config = ts.getParsedCommandLineOfConfigFile(
    join(dir, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(join(dir, 'consumer.ts'));
  const declared = {};
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    const specifier = statement.moduleSpecifier.text;
    const namespace = checker.getSymbolAtLocation(statement.importClause.namedBindings.name);
    const moduleSymbol = checker.getAliasedSymbol(namespace);
    declared[specifier] = checker
      .getExportsOfModule(moduleSymbol)
      .filter((symbol) => {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        return (target.flags & ts.SymbolFlags.Value) !== 0;
      })
      .map((symbol) => symbol.name);
  }
  const probe = join(dir, type === 'module' ? 'probe.mjs' : 'probe.cjs');
  const load = type === 'module' ? (s) => `await import('${s}')` : (s) => `require('${s}')`;
  const lines = Object.entries(declared).map(
    ([specifier, names]) =>
      `{ const m = ${load(specifier)}; const missing = ${JSON.stringify(names)}.filter((n) => !(n in m)); if (missing.length) { console.error('${specifier}: the .d.ts offers as values, but the runtime module lacks: ' + missing.join(', ')); process.exitCode = 1; } }`,
  );
  writeFileSync(probe, `${type === 'module' ? '' : "'use strict';\n"}${lines.join('\n')}\n`);
  run('node', [probe], { cwd: dir });
  console.log(
    `value exports ok as ${type} (${Object.values(declared).reduce((n, names) => n + names.length, 0)} names in ${Object.keys(declared).length} entry points)`,
  );
}
