// `npm run test:reliability [-- --full] [files or vitest options]`: runs the reliability suite (test/reliability) —
// at the default sizes, or the large ones with --full (RELIABILITY_FULL=1) — then, if it passed, renders
// RELIABILITY.md from the figures the scenarios recorded in .tmp/reliability/.
// Needs DATABASE_URL (and DATABASE_APP_URL) for the PostgreSQL scenarios, as `npm test` does.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const full = args.includes('--full');
const vitestArgs = args.filter((arg) => arg !== '--full');
// File filters (`-- test/reliability/crash-recovery.test.ts`) replace the directory; vitest ORs filters.
const narrowed = vitestArgs.some((arg) => !arg.startsWith('-') && (arg.includes('/') || arg.endsWith('.ts')));
const env = { ...process.env, RELIABILITY_SUITE: '1', ...(full ? { RELIABILITY_FULL: '1' } : {}) };

process.stdout.write(`reliability suite at the ${full ? 'full' : 'default'} sizes\n`);
const started = Date.now();
const vitest = spawnSync(
  process.execPath,
  [resolve(root, 'node_modules/vitest/vitest.mjs'), 'run', ...(narrowed ? [] : ['test/reliability']), ...vitestArgs],
  { cwd: root, env, stdio: 'inherit' },
);
const wallSeconds = Math.round((Date.now() - started) / 1000);
if (vitest.status !== 0) {
  process.stderr.write(
    `test:reliability: the suite failed (exit ${vitest.status ?? vitest.signal}) after ${wallSeconds} s; RELIABILITY.md is left as it was.\n`,
  );
  process.exit(vitest.status ?? 1);
}
// What the report says about a run of the whole suite (the scenarios' own figures are in the other
// files); a run narrowed by vitest arguments updates only the figures of what it ran.
if (!narrowed) {
  const figuresDir = resolve(root, '.tmp/reliability');
  mkdirSync(figuresDir, { recursive: true });
  const run = {
    finishedAt: new Date().toISOString(),
    size: full ? 'full' : 'default',
    wallSeconds,
    cores: cpus().length,
    loadAverage: Number(loadavg()[0].toFixed(1)),
  };
  writeFileSync(resolve(figuresDir, '_suite-run.json'), `${JSON.stringify(run, null, 2)}\n`);
}
const report = spawnSync(process.execPath, [resolve(root, 'scripts/reliability-report.mjs')], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(report.status ?? 1);
