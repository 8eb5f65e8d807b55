// Every TypeScript block of README.md and docs/*.md is compiled, and the runnable ones run, so the docs
// cannot drift from the code. How a block is marked: test/docs/support/markdown-code-blocks.ts; what a
// runnable block runs in: test/docs/support/doc-environments.ts; the names snippets may use without
// defining them: test/docs/support/doc-prelude.ts. The contributor's view: CONTRIBUTING.md, "Docs".
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format, promisify } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { requireDependency } from '../support/environment.js';
import { DOC_ENVIRONMENTS } from './support/doc-environments.js';
import { DOC_PRELUDE } from './support/doc-prelude.js';
import {
  documentationPages,
  repoRoot,
  typescriptBlocks,
  where,
  type CodeBlock,
} from './support/markdown-code-blocks.js';

const workDir = join(repoRoot, '.tmp', 'docs-blocks');
const blocks = documentationPages().flatMap(typescriptBlocks);
const compiled = blocks.filter((block) => block.notCompiled === undefined);
const skipped = blocks.filter((block) => block.notCompiled !== undefined);
// Raise this only with a reason in the block's <!-- not compiled: … --> comment.
const MAX_SKIPPED = 3;

/** The package names a reader imports, mapped to the source as the root tsconfig's `paths` do. */
function packagePaths(): Record<string, string> {
  const { config, error } = ts.readConfigFile(join(repoRoot, 'tsconfig.json'), ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const paths = config.compilerOptions.paths as Record<string, string[]>;
  return Object.fromEntries(Object.entries(paths).map(([name, [target]]) => [name, join(repoRoot, target!)]));
}

/** A block with the blocks it continues (`after`), in order, each line knowing its page and line. */
function chainOf(block: CodeBlock): CodeBlock[] {
  if (!block.after) return [block];
  const earlier = blocks.find((b) => b.page === block.page && b.name === block.after && b.line < block.line);
  if (!earlier)
    throw new Error(
      `${where(block)}: "after: ${block.after}" names no earlier block of ${block.page} (mark it "<!-- name: ${block.after} -->").`,
    );
  return [...chainOf(earlier), block];
}

interface Source {
  text: string;
  /** `page:line` of each line of `text` (1-based index → position in the docs). */
  lines: string[];
}

function sourceOf(chain: CodeBlock[], transform: (line: string, at: string) => string = (line) => line): Source {
  const text: string[] = [];
  const lines: string[] = [];
  for (const block of chain) {
    block.code.split('\n').forEach((line, i) => {
      const at = `${block.page}:${block.line + i}`;
      text.push(transform(line, at));
      lines.push(at);
    });
  }
  // Every block is its own module, so its top-level names never clash with another block's.
  text.push('export {};');
  lines.push(`${chain.at(-1)!.page}:${chain.at(-1)!.line}`);
  return { text: `${text.join('\n')}\n`, lines };
}

function fileName(block: CodeBlock): string {
  return `${block.page.replace(/\.md$/, '').replace(/[^\w]+/g, '-')}-L${block.line}.ts`;
}

describe('documentation code blocks', () => {
  it('are found, and few are left out (each with its reason)', () => {
    expect(compiled.length).toBeGreaterThanOrEqual(10); // the extraction finds blocks at all
    for (const block of skipped)
      expect(block.notCompiled!.length, `${where(block)} needs a reason`).toBeGreaterThan(10);
    process.stdout.write(
      `[docs] ${blocks.length} TypeScript blocks: ${compiled.length} compiled (${compiled.filter((b) => b.runnable).length} run), ${skipped.length} not compiled${skipped.map((b) => `\n  ${where(b)}: ${b.notCompiled}`).join('')}\n`,
    );
    expect(skipped.length).toBeLessThanOrEqual(MAX_SKIPPED);
  });

  it("import only the package's public entry points", () => {
    const exported = Object.keys(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).exports).map((k) =>
      k === '.' ? 'phonepe-billing' : `phonepe-billing/${k.slice(2)}`,
    );
    for (const block of compiled) {
      for (const [, specifier] of block.code.matchAll(/from\s+'(phonepe-billing[^']*)'/g)) {
        expect(exported, `${where(block)} imports ${specifier}`).toContain(specifier);
      }
    }
  });

  it('type-check, each on its own, in one tsc run', async () => {
    const dir = join(workDir, 'check');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const sources = new Map<string, Source>();
    for (const block of compiled) {
      const source = sourceOf(chainOf(block));
      sources.set(fileName(block), source);
      writeFileSync(join(dir, fileName(block)), source.text);
    }
    writeFileSync(join(dir, 'prelude.d.ts'), DOC_PRELUDE);
    const paths = Object.fromEntries(Object.entries(packagePaths()).map(([name, target]) => [name, [target]]));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify(
        {
          extends: join(repoRoot, 'tsconfig.json'),
          // Incremental, with its state beside (not inside) the regenerated folder: a later run re-checks only
          // what changed, by content hash (a cold run takes 20-40 s on the 2-core machine, a warm one a quarter).
          compilerOptions: {
            paths,
            noEmit: true,
            incremental: true,
            tsBuildInfoFile: join(workDir, 'check.tsbuildinfo'),
          },
          include: ['*.ts'],
        },
        null,
        2,
      ),
    );

    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const output = await promisify(execFile)(
      process.execPath,
      [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'],
      { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
    )
      .then(({ stdout }) => stdout)
      .catch((error: { stdout?: string; message: string }) => error.stdout || error.message);
    // "file.ts(12,5): error TS2304: …" → "docs/client.md:40:5: error TS2304: …"; errors outside the blocks stay as they are.
    const errors = output
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const match = /^([\w.-]+\.ts)\((\d+),(\d+)\): (.*)$/.exec(line);
        const source = match && sources.get(match[1]!);
        return source ? `${source.lines[Number(match[2]) - 1]}:${match[3]}: ${match[4]}` : line;
      });
    expect(
      errors,
      `documentation blocks that do not compile (generated files in ${dir}):\n${errors.join('\n')}`,
    ).toEqual([]);
  }, 180_000);

  const paths = packagePaths();
  for (const block of compiled.filter((b) => b.runnable)) {
    const environment = DOC_ENVIRONMENTS[block.runnable!];
    const missing = environment?.missing?.();
    const canRun = !missing || requireDependency(undefined, missing.what, missing.howToProvide);
    it.runIf(canRun)(
      `${where(block)} runs (${block.runnable})`,
      async () => {
        expect(
          environment,
          `${where(block)}: no environment "${block.runnable}" (known: ${Object.keys(DOC_ENVIRONMENTS).join(', ')})`,
        ).toBeDefined();
        await runBlock(block, environment!, paths);
      },
      90_000,
    );
  }
});

/**
 * Runs a block (with the blocks it continues) as an ES module in this process: package names point at
 * the source, and a line `console.log(x); // → text` checks that it prints exactly `text`.
 */
async function runBlock(
  block: CodeBlock,
  environment: (typeof DOC_ENVIRONMENTS)[string],
  paths: Record<string, string>,
): Promise<void> {
  const expected = new Map<string, string>();
  const printed = new Map<string, string[]>();
  const source = sourceOf(chainOf(block), (line, at) => {
    const specifiers = line.replace(/(['"])(phonepe-billing(?:\/[\w-]+)?)\1/g, (whole, quote: string, name: string) =>
      paths[name] ? `${quote}${paths[name]}${quote}` : whole,
    );
    const check = /^(\s*)console\.log\((.*)\);\s*\/\/ → (.+)$/.exec(specifiers);
    if (!check) return specifiers;
    expected.set(at, check[3]!.trim());
    return `${check[1]}globalThis.__docExpect(${JSON.stringify(at)}, ${check[2]});`;
  });
  const dir = join(workDir, 'run');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, fileName(block));
  writeFileSync(file, source.text);

  const running = await environment.start();
  const savedLog = console.log;
  const savedEnv = Object.fromEntries(Object.keys(running.env ?? {}).map((name) => [name, process.env[name]]));
  const logged: string[] = [];
  const globals: Record<string, unknown> = {
    ...running.globals,
    __docExpect: (at: string, ...values: unknown[]) => printed.set(at, [...(printed.get(at) ?? []), format(...values)]),
  };
  try {
    Object.assign(process.env, running.env);
    Object.assign(globalThis, globals);
    console.log = (...values: unknown[]) => void logged.push(format(...values)); // what the block prints for the reader
    try {
      await import(pathToFileURL(file).href);
    } catch (error) {
      throw new Error(
        `${where(block)} threw while running (${file}): ${error instanceof Error ? error.message : String(error)}\nprinted:\n${logged.join('\n')}`,
        { cause: error },
      );
    }
    await running.check?.();
    for (const [at, text] of expected) expect(printed.get(at), `${at} prints`).toEqual([text]);
  } finally {
    console.log = savedLog;
    for (const name of Object.keys(globals)) delete (globalThis as Record<string, unknown>)[name];
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await running.stop();
  }
}
