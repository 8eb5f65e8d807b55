// `npm run test:reliability [-- --full] [vitest args]`: runs the reliability suite (test/reliability) —
// at the default sizes, or the large ones with --full (RELIABILITY_FULL=1) — then, if it passed, renders
// RELIABILITY.md from the figures the scenarios recorded in .tmp/reliability/.
// Needs DATABASE_URL (and DATABASE_APP_URL) for the PostgreSQL scenarios, as `npm test` does.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const full = args.includes('--full');
const vitestArgs = args.filter((arg) => arg !== '--full');
const env = { ...process.env, ...(full ? { RELIABILITY_FULL: '1' } : {}) };

process.stdout.write(`reliability suite at the ${full ? 'full' : 'default'} sizes\n`);
const started = Date.now();
const vitest = spawnSync(process.execPath, [resolve(root, 'node_modules/vitest/vitest.mjs'), 'run', 'test/reliability', ...vitestArgs], { cwd: root, env, stdio: 'inherit' });
const wallSeconds = Math.round((Date.now() - started) / 1000);
if (vitest.status !== 0) {
  process.stderr.write(`test:reliability: the suite failed (exit ${vitest.status ?? vitest.signal}) after ${wallSeconds} s; RELIABILITY.md is left as it was.\n`);
  process.exit(vitest.status ?? 1);
}
const report = spawnSync(process.execPath, [resolve(root, 'scripts/reliability-report.mjs'), '--wall-seconds', String(wallSeconds), ...(full ? ['--full'] : [])], { cwd: root, stdio: 'inherit' });
process.exit(report.status ?? 1);
