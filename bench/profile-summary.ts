// Summarises a V8 CPU profile (from `node --cpu-prof`): self time by package / repository folder,
// and the functions with the most self and inclusive time.
//   npx tsx bench/profile-summary.ts .tmp/prof/CPU.*.cpuprofile [--top=25]
import { readFileSync } from 'node:fs';
import { ROOT } from './support/build.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', () => process.exit(0));

const args = process.argv.slice(2);
const top = Number(args.find((a) => a.startsWith('--top='))?.slice('--top='.length) ?? 25);
const files = args.filter((a) => !a.startsWith('--'));
if (files.length === 0) {
  process.stderr.write('usage: npx tsx bench/profile-summary.ts <file.cpuprofile>… [--top=25]\n');
  process.exit(2);
}

/** Where a frame's code lives: a package, a folder of this repository, node itself, or V8's own buckets. */
function place(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const path = url.replace(/^file:\/\//, '');
  // This repository's own files: by path below the root (src/billing/…, adapters/hono/…, bench/…).
  if (path.startsWith(`${ROOT}/`)) return path.slice(ROOT.length + 1);
  return url;
}

/** The folder of a repository file (src/billing/settlement.ts → src/billing), else the place itself. */
function folder(where: string): string {
  const parts = where.split('/');
  return where.endsWith('.ts') || where.endsWith('.js')
    ? parts.slice(0, Math.min(2, parts.length - 1)).join('/') || where
    : where;
}

const self = new Map<string, number>();
const selfFn = new Map<string, number>();
const inclusiveFn = new Map<string, number>();
let total = 0;
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node) return;
    total += ms;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = place(url, functionName);
    self.set(folder(where), (self.get(folder(where)) ?? 0) + ms);
    const fn = `${functionName || '(anonymous)'} ${where}${url && !where.endsWith('.ts') ? `:${lineNumber + 1}` : ''}`;
    selfFn.set(fn, (selfFn.get(fn) ?? 0) + ms);
    // Inclusive: every distinct function on the stack gets the sample once.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (!frame || !frame.url) continue;
      const where = place(frame.url, frame.functionName);
      const key = `${frame.functionName || '(anonymous)'} ${where}${where.endsWith('.ts') ? '' : `:${frame.lineNumber + 1}`}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusiveFn.set(key, (inclusiveFn.get(key) ?? 0) + ms);
    }
  });
}

const print = (title: string, map: Map<string, number>, limit: number) => {
  process.stdout.write(`\n${title}\n`);
  for (const [key, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    process.stdout.write(`${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${key}\n`);
  }
};
process.stdout.write(`${files.length} profile(s), ${total.toFixed(0)} ms sampled\n`);
print('self time by place', self, top);
print('self time by function', selfFn, top);
print('inclusive time by function', inclusiveFn, top);
