import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureBuilt, ROOT } from '../support/build.js';
import type { BenchContext } from '../support/context.js';
import { size } from '../support/options.js';
import { atMost, formatRatioValue, pairedRow, valueRow, type FigureResult } from '../support/report.js';
import { alternate } from '../support/rounds.js';
import { median } from '../support/stats.js';

/** Wall time of `node <args>` from spawn to exit, in ms. */
function timeNode(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`)),
    );
  });
}

/** Median wall time of `repeats` fresh processes. */
async function medianOf(repeats: number, args: string[]): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i += 1) times.push(await timeNode(args));
  return median(times);
}

/** Modules in require.cache after requiring `specifier`, and how many of them are zod's. */
function cjsModules(specifier: string): { total: number; zod: number; files: string[] } {
  const script = `require(${JSON.stringify(specifier)}); const k = Object.keys(require.cache); console.log(JSON.stringify({ total: k.length, zod: k.filter((p) => p.includes('/node_modules/zod/')).length, files: k }))`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })) as {
    total: number;
    zod: number;
    files: string[];
  };
}

/**
 * The ES modules a file's static imports load (itself included): require.cache does not list the ES
 * modules that require() of an ES module loads. Follows `import … from` / `export … from` / bare
 * `import '…'` of relative files; packages are listed by name (their own graphs are not followed).
 */
function esmGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(
      /^(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']|^import\s*["']([^"']+)["']/gm,
    )) {
      const specifier = (match[1] ?? match[2]) as string;
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), specifier));
      else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) packages.add(specifier);
    }
  }
  return { files: [...files], packages: [...packages] };
}

/** The ES file a `.cjs` entry re-exports through require() (the shim's one require), or the entry itself. */
function esmEntryOf(cjs: string): string {
  const target = /require\(['"](\.\/[^'"]+\.js)['"]\)/.exec(readFileSync(cjs, 'utf8'))?.[1];
  return target === undefined ? cjs.replace(/\.cjs$/, '.js') : resolve(dirname(cjs), target);
}

/**
 * Cold import of the built core (`dist/index.js` / `dist/index.cjs`) in a fresh Node process, minus a
 * fresh `node -e 0`, against `require('pg-sdk-node')`, alternating.
 */
export async function coldImportFigure(ctx: BenchContext, log: (line: string) => void): Promise<FigureResult> {
  ensureBuilt(log);
  const rounds = size(ctx.options, { quick: 2, full: 10 });
  const repeats = size(ctx.options, { quick: 1, full: 5 });
  const esm = join(ROOT, 'dist', 'index.js');
  const cjs = join(ROOT, 'dist', 'index.cjs');
  const samples = await alternate(
    {
      empty: () => medianOf(repeats, ['-e', '0']),
      esm: () => medianOf(repeats, ['--input-type=module', '-e', `await import(${JSON.stringify(esm)})`]),
      cjs: () => medianOf(repeats, ['-e', `require(${JSON.stringify(cjs)})`]),
      sdk: () => medianOf(repeats, ['-e', `require('pg-sdk-node')`]),
    },
    rounds,
    { warmup: !ctx.options.quick },
  );
  const less = (values: number[]) => values.map((v, i) => Math.max(0.01, v - (samples.empty[i] as number)));
  const sdk = less(samples.sdk);
  // The CommonJS entry may load the ES build through require(): its ES modules count too.
  const required = cjsModules(cjs);
  const graph = esmGraph(esmEntryOf(cjs));
  const ours = {
    total: new Set([...required.files, ...graph.files]).size,
    zod: required.zod + graph.files.filter((f) => f.includes('/node_modules/zod/')).length,
    packages: graph.packages,
  };
  const theirs = cjsModules('pg-sdk-node');
  return {
    section: 'import',
    rows: [
      pairedRow({
        id: 'import.esm',
        figure: 'cold import of the core, ESM (dist/index.js)',
        unit: 'ms',
        ours: less(samples.esm),
        anchor: sdk,
        anchorName: "require('pg-sdk-node')",
        goal: atMost(0.5),
      }),
      pairedRow({
        id: 'import.cjs',
        figure: 'cold import of the core, CJS (dist/index.cjs)',
        unit: 'ms',
        ours: less(samples.cjs),
        anchor: sdk,
        anchorName: "require('pg-sdk-node')",
        goal: atMost(0.5),
      }),
      valueRow({
        id: 'import.modules',
        figure: 'modules loaded by require() of the core',
        ours: `${ours.total} (zod: ${ours.zod}${ours.packages.length > 0 ? `; packages: ${ours.packages.join(', ')}` : ''})`,
        anchor: `pg-sdk-node: ${theirs.total}`,
        ratio: `${formatRatioValue(ours.total / theirs.total)}×`,
        goal: '—',
        met: null,
      }),
    ],
    notes: [
      `Cold import: wall time of a fresh \`node\` process that imports the built entry point (\`await import('dist/index.js')\` with \`--input-type=module\`, \`require('dist/index.cjs')\`) or \`require('pg-sdk-node')\`, minus that of \`node -e 0\` measured in the same round; each sample is the median of ${repeats} processes, ${rounds} rounds alternating. dist/ is rebuilt first when missing or older than the sources. Modules loaded: \`Object.keys(require.cache)\` after the require, plus the ES modules in the static import graph of the ES build that the \`.cjs\` entry requires (require.cache does not list ES modules).`,
    ],
  };
}
