import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const testRoot = join(root, 'test');

// Folders of test/ that stand beside the mirror of src/: the whole-library suites, and what tests share.
const CROSS_CUTTING = new Set(['architecture', 'docs', 'examples', 'reliability', 'support']);
const SHARED_FOLDERS = new Set(['support', 'conformance']);

function folders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      return [path, ...folders(path)];
    });
}

describe('test/ mirrors src/', () => {
  it('every test folder is a folder of src/ or adapters/ (or a shared one)', () => {
    const strays = folders(testRoot)
      .map((path) => relative(testRoot, path).split('/'))
      .filter((parts) => !CROSS_CUTTING.has(parts[0]!) && !parts.some((part) => SHARED_FOLDERS.has(part)))
      .map((parts) => parts.join('/'))
      .filter((path) => !existsSync(join(root, 'src', path)) && !existsSync(join(root, path)));
    expect(strays).toEqual([]);
  });

  it('every top-level folder of src/ has its test folder', () => {
    // src/entries only re-exports (its names are checked by `npm run check:package` and public-tsdoc.test.ts).
    const untested = readdirSync(join(root, 'src'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'entries')
      .map((entry) => entry.name)
      .filter((name) => !existsSync(join(testRoot, name)));
    expect(untested).toEqual([]);
  });
});
