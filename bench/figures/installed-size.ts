import { execFile } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureBuilt, ROOT } from '../support/build.js';
import type { BenchContext } from '../support/context.js';
import { formatNumber, formatRatioValue, valueRow, type FigureResult } from '../support/report.js';

const run = promisify(execFile);
const MB = 1_000_000;

/** Bytes of every file under `dir` (apparent size, links not followed). */
function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += bytesUnder(path);
    else total += lstatSync(path).size;
  }
  return total;
}

/** Installed packages: every directory with a package.json directly under a node_modules (scoped and nested too). */
function packagesUnder(nodeModules: string): string[] {
  const found: string[] = [];
  if (!existsSync(nodeModules)) return found;
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const dirs = entry.name.startsWith('@')
      ? readdirSync(join(nodeModules, entry.name), { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => join(entry.name, d.name))
      : [entry.name];
    for (const name of dirs) {
      if (!existsSync(join(nodeModules, name, 'package.json'))) continue;
      found.push(name);
      found.push(...packagesUnder(join(nodeModules, name, 'node_modules')).map((nested) => `${name}>${nested}`));
    }
  }
  return found;
}

/** A fresh consumer directory with only `spec` installed: packages, total MB, and MB per top package. */
async function installAlone(
  spec: string,
): Promise<{ dir: string; packages: string[]; bytes: number; bytesOf: (name: string) => number }> {
  const dir = mkdtempSync(join(tmpdir(), 'phonepe-billing-size-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'size-consumer', version: '1.0.0', private: true }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', spec], { cwd: dir });
  const nodeModules = join(dir, 'node_modules');
  return {
    dir,
    packages: packagesUnder(nodeModules),
    bytes: bytesUnder(nodeModules),
    bytesOf: (name) => bytesUnder(join(nodeModules, name)),
  };
}

/** A consumer with only phonepe-billing (the packed tarball) vs one with only pg-sdk-node@2.0.2. */
export async function installedSizeFigure(_ctx: BenchContext, log: (line: string) => void): Promise<FigureResult> {
  ensureBuilt(log);
  const packDir = mkdtempSync(join(tmpdir(), 'phonepe-billing-pack-'));
  const dirs = [packDir];
  try {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: ROOT });
    const tarball = join(packDir, (JSON.parse(stdout) as Array<{ filename: string }>)[0]!.filename);
    const [ours, sdk] = await Promise.all([installAlone(tarball), installAlone('pg-sdk-node@2.0.2')]);
    dirs.push(ours.dir, sdk.dir);
    const own = ours.bytesOf('phonepe-billing');
    const maps =
      bytesUnder(join(ours.dir, 'node_modules', 'phonepe-billing', 'dist')) -
      bytesWithout(join(ours.dir, 'node_modules', 'phonepe-billing', 'dist'), '.map');
    const biggest = ours.packages
      .filter((p) => !p.includes('>'))
      .map((p) => `${p} ${formatNumber(ours.bytesOf(p) / MB)}`)
      .join(', ');
    const packageRatio = ours.packages.length / sdk.packages.length;
    const mbRatio = ours.bytes / sdk.bytes;
    return {
      section: 'size',
      rows: [
        valueRow({
          id: 'size.packages',
          figure: 'installed packages, consumer of phonepe-billing only',
          ours: String(ours.packages.length),
          anchor: `pg-sdk-node@2.0.2 alone: ${sdk.packages.length}`,
          ratio: `${formatRatioValue(packageRatio)}×`,
          goal: '≤ 0.25×',
          met: packageRatio <= 0.25,
        }),
        valueRow({
          id: 'size.mb',
          figure: 'installed MB, consumer of phonepe-billing only',
          ours: `${formatNumber(ours.bytes / MB)} MB (${biggest})`,
          anchor: `pg-sdk-node@2.0.2 alone: ${formatNumber(sdk.bytes / MB)} MB`,
          ratio: `${formatRatioValue(mbRatio)}×`,
          goal: '≤ 0.35×',
          met: mbRatio <= 0.35,
        }),
        valueRow({
          id: 'size.own',
          figure: 'our own files, installed',
          ours: `${formatNumber(own / MB)} MB (source maps ${formatNumber(maps / MB)})`,
          anchor: '—',
          goal: '≤ 1.5 MB',
          met: own <= 1.5 * MB,
        }),
      ],
      notes: [
        'Installed size: `npm pack` of this repository (after the build), installed alone into an empty temporary project with `npm install --no-audit --no-fund`; the same for `pg-sdk-node@2.0.2` (a plain install, no overrides). Packages are the directories with a package.json under node_modules (scoped and nested included); MB is the sum of file sizes under node_modules, 1 MB = 10^6 bytes.',
      ],
    };
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

function bytesWithout(dir: string, suffix: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += bytesWithout(path, suffix);
    else if (!entry.name.endsWith(suffix)) total += lstatSync(path).size;
  }
  return total;
}
