// `npm run check:package`: checks the package a user would install, not the source tree.
//   1. publint (strict) and attw on the packed tarball;
//   2. every "exports" subpath imported from the packed files, with ESM `import` and CJS `require`;
//   3. a consumer TypeScript project with `skipLibCheck: false` type-checks against the packed
//      .d.ts files under module "nodenext", as ESM and as CJS (catches leaked ESM-only types).
// Needs `npm run build` first.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
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

const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' }));
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
  .map((s, i) => `import * as m${i} from '${s}';\nif (Object.keys(m${i}).length === 0) throw new Error('${s} exports nothing (ESM)');`)
  .join('\n');
writeFileSync(join(consumer, 'imports.mjs'), `${esm}\nconsole.log('ESM ok: ${specifiers.join(', ')}');\n`);
const cjs = specifiers
  .map((s) => `{ const m = require('${s}'); if (Object.keys(m).length === 0) throw new Error('${s} exports nothing (CJS)'); }`)
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
  const body = specifiers.map((s, i) => `import * as m${i} from '${s}';\nexport const k${i}: string[] = Object.keys(m${i});`).join('\n');
  writeFileSync(join(dir, 'consumer.ts'), `${body}\n`);
  run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(dir, 'tsconfig.json')], { cwd: dir });
  console.log(`types ok as ${type} consumer (skipLibCheck: false)`);
}
console.log('check:package: all checks passed');
