import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root (bench/ lives in it). */
export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Runs `npm run build` when dist/ is missing or older than the sources (src/, adapters/,
 * migrations/), so the import and size figures measure the code as it is now. Returns whether it built.
 */
export function ensureBuilt(log: (line: string) => void): boolean {
  const entry = join(ROOT, 'dist', 'index.js');
  const sources = Math.max(
    ...['src', 'adapters', 'migrations'].map((d) => newestMtime(join(ROOT, d))),
    statSync(join(ROOT, 'tsup.config.ts')).mtimeMs,
  );
  if (existsSync(entry) && statSync(entry).mtimeMs >= sources) return false;
  log('dist/ is missing or older than the sources: npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return true;
}
