import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// docs/architecture.md "Layers": the core runs on any runtime with web-standard globals, and each layer only
// depends inward. This test reads every import specifier so the rules cannot drift silently.
const root = resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  const source = readFileSync(join(root, file), 'utf8');
  const found = [
    ...source.matchAll(
      /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm,
    ),
  ];
  return found.map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

const CORE = [
  'src/client',
  'src/razorpay',
  'src/webhooks',
  'src/billing',
  'src/http',
  'src/config',
  'src/common',
  'src/entries',
  'src/metrics',
];
const coreStorage = files('src/storage').filter((f) => !f.startsWith('src/storage/kysely/'));
const coreFiles = [...CORE.flatMap((d) => files(d)), ...coreStorage, 'src/index.ts'];
const FRAMEWORKS = /^(express|fastify|hono|@hono\/|kysely|pg|@electric-sql\/)/;

describe('import boundaries', () => {
  it('the core uses web-standard globals only: no node:*, no frameworks, no kysely or pg', () => {
    const offenders = coreFiles.flatMap((file) =>
      imports(file)
        .filter((s) => s.startsWith('node:') || FRAMEWORKS.test(s) || s === 'msw')
        .map((s) => `${file} → ${s}`),
    );
    expect(offenders).toEqual([]);
    const processUse = coreFiles.filter((file) =>
      /\bprocess\.env\b/.test(readFileSync(join(root, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')),
    );
    expect(processUse).toEqual([]);
  });

  it('OpenTelemetry is optional: nothing imports it but src/metrics/tracing.ts, and that only lazily', () => {
    // A static import (even type-only, which would name the package in the published .d.ts) would make
    // the optional peer dependency a hard one.
    const users = files('src').filter((file) => /['"]@opentelemetry\//.test(readFileSync(join(root, file), 'utf8')));
    expect(users).toEqual(['src/metrics/tracing.ts']);
    expect(imports('src/metrics/tracing.ts').filter((s) => s.startsWith('@opentelemetry'))).toEqual([]);
    expect(readFileSync(join(root, 'src/metrics/tracing.ts'), 'utf8')).toMatch(/await import\([^)]*specifier\)/);
  });

  it('src/client, src/razorpay and src/webhooks know nothing of storage, HTTP or billing', () => {
    // One exception: the Razorpay gateway implements the core's gateway port: it imports the port's types
    // (type-only) and BillingError, with which the port's verifyWebhook rejects.
    const portTypes = (file: string, s: string) =>
      file === 'src/razorpay/razorpay-gateway.ts' &&
      ((s === '../billing/payment-gateway.js' &&
        /import type \{[^}]*\} from '\.\.\/billing\/payment-gateway\.js'/.test(
          readFileSync(join(root, file), 'utf8'),
        )) ||
        s === '../billing/errors.js');
    const offenders = [...files('src/client'), ...files('src/razorpay'), ...files('src/webhooks')].flatMap((file) =>
      imports(file)
        .filter((s) => /(^|\/)(storage|http|billing|testing|cli)\//.test(s) && !portTypes(file, s))
        .map((s) => `${file} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the core reaches Razorpay only through the gateway port: nothing outside src/razorpay imports it', () => {
    const outside = coreFiles.filter((f) => !f.startsWith('src/razorpay/') && !f.startsWith('src/entries/'));
    const offenders = outside.flatMap((file) =>
      imports(file)
        .filter((s) => /(^|\/)razorpay\//.test(s))
        .map((s) => `${file} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('only adapters import express, fastify or hono; only src/storage/kysely (and the CLI/tests) import kysely or pg', () => {
    const all = files('src');
    const frameworkUsers = all.filter((file) => imports(file).some((s) => /^(express|fastify|hono)(\/|$)/.test(s)));
    expect(frameworkUsers).toEqual([]);
    const sqlUsers = all.filter(
      (file) =>
        imports(file).some((s) => /^(kysely|pg)(\/|$)/.test(s)) &&
        !file.startsWith('src/storage/kysely/') &&
        !file.startsWith('src/cli/'),
    );
    expect(sqlUsers).toEqual([]);
  });

  it('src/testing (the emulator) imports no adapter and nothing from src/http', () => {
    const offenders = files('src/testing').flatMap((file) =>
      imports(file)
        .filter((s) => s.startsWith('.'))
        .map((s) => relative(root, join(root, dirname(file), s)))
        .filter((target) => /^(adapters|src\/http)\//.test(target))
        .map((target) => `${file} → ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it('no console.* in library code', () => {
    const offenders = [...files('src'), ...files('adapters')].filter((file) =>
      /\bconsole\.(log|info|warn|error|debug)\(/.test(
        readFileSync(join(root, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''),
      ),
    );
    expect(offenders.map((f) => relative(root, join(root, f)))).toEqual([]);
  });

  it('no module of src/ imports itself back through a cycle (type-only imports aside)', () => {
    const graph = new Map(
      files('src').map((file) => {
        const source = readFileSync(join(root, file), 'utf8');
        const valueImports = [...source.matchAll(/^(?:import|export)(?!\s+type\s)[^;]*?from\s+'(\.[^']+)'/gm)].map(
          (m) => join(dirname(file), m[1]!.replace(/\.js$/, '.ts')),
        );
        return [file, valueImports] as const;
      }),
    );
    const cycles: string[] = [];
    const done = new Set<string>();
    const visit = (file: string, path: string[]) => {
      if (path.includes(file)) return void cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
      if (done.has(file)) return;
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      done.add(file);
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
