import { profileNote } from '../profile-notes.js';
import type { MachineInfo } from './machine.js';
import type { BenchOptions } from './options.js';
import { markdownTable, type FigureResult, type FigureRow } from './report.js';

/** BENCHMARKS.md: the table, where it was run, what missed its goal and why, and how each figure is measured. */
export function benchmarksMarkdown(input: {
  results: FigureResult[];
  machine: MachineInfo;
  options: BenchOptions;
  startedAt: Date;
  seconds: number;
}): string {
  const { results, machine, options } = input;
  const rows = results.flatMap((r) => r.rows);
  const missed = rows.filter((r) => r.met === false);
  const met = rows.filter((r) => r.met === true).length;
  const load = `${machine.load.start.toFixed(1)} at the start, ${machine.load.end?.toFixed(1) ?? '?'} at the end`;
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (scripts in [`bench/`](bench/)); do not edit by hand — profile notes live in',
    '[`bench/profile-notes.ts`](bench/profile-notes.ts). Every figure is measured against an anchor in the same run:',
    'the two alternate round by round (A B, B A, …) and the ratio is the median of the per-round ratios, with their',
    'min–max in brackets. Absolute numbers depend on the machine and on whatever else runs on it; the ratios are the',
    'point.',
    '',
    `- **Command:** \`${options.command}\`${options.quick ? ' (quick sizes: a smoke run, not the reference numbers)' : ''}`,
    `- **Date:** ${input.startedAt.toISOString()} (${Math.round(input.seconds)} s)`,
    `- **Machine:** ${machine.cores} cores, ${machine.cpuModel}; ${machine.os}; 1-minute load average ${load}`,
    `- **Node:** ${machine.node}; **${machine.postgres}**`,
    `- **Goals met:** ${met} of ${met + missed.length}`,
    '',
    '## Results',
    '',
    markdownTable(rows),
    '',
    '## Where goals are missed',
    '',
    ...(missed.length === 0
      ? ['Every goal was met in this run.']
      : [
          'What a CPU profile (`node --cpu-prof`) shows as the main cost, per figure that missed its goal:',
          '',
          ...missedByNote(missed),
        ]),
    '',
    '## How each figure is measured',
    '',
    ...results.flatMap((r) => r.notes.map((note) => `- ${note}`)),
    '',
    '## Running it',
    '',
    '```sh',
    'export DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres   # a role that may create databases',
    'npm run bench                    # every figure at full size; rewrites BENCHMARKS.md',
    'npm run bench -- --quick         # the same figures at small sizes (under a minute); writes .tmp/bench/BENCHMARKS.md',
    'npm run bench -- --quick --write # … and BENCHMARKS.md',
    'npm run bench -- --only=webhooks,usage   # some sections: client, verify, webhooks, usage, renewals, emulator, import, size, memory',
    '```',
    '',
    'Each run creates a temporary database from `DATABASE_URL` and drops it at the end; results also go to',
    '`.tmp/bench/results.json`. The run fails only when something crashes, never on a missed goal. CI runs',
    '`--quick` (`.ci/run`).',
    '',
    "PhonePe's official SDK (`pg-sdk-node@2.0.2`) is a devDependency used only here. Installed fresh it resolves",
    '`class-transformer` 0.4.1, which exports `plainToInstance` but no longer `plainToClass`, so its first token call',
    'throws `plainToClass is not a function`; `package.json` pins 0.4.0 through `overrides`.',
    '',
    '### Profiling',
    '',
    '```sh',
    'node --cpu-prof --cpu-prof-dir=.tmp/prof --import tsx bench/run.ts --quick --only=webhooks',
    'BENCH_CPU_PROF_DIR=$PWD/.tmp/prof npm run bench -- --quick --only=renewals   # the child processes too',
    'npx tsx bench/profile-summary.ts .tmp/prof/*.cpuprofile   # self and inclusive time by package, folder and function',
    '```',
    '',
    'Each process writes a `.cpuprofile` (also readable in Chrome DevTools → Performance). Node refuses',
    '`--cpu-prof` in `NODE_OPTIONS`, hence `BENCH_CPU_PROF_DIR` for the worker, host and heap processes.',
    '',
  ];
  return lines.join('\n');
}

/** One bullet per profile note, naming every missed row it explains (rows of one figure share a note). */
function missedByNote(missed: readonly FigureRow[]): string[] {
  const groups = new Map<string, FigureRow[]>();
  for (const row of missed) {
    const note = profileNote(row.id) ?? 'not profiled yet.';
    groups.set(note, [...(groups.get(note) ?? []), row]);
  }
  return [...groups].map(
    ([note, rows]) =>
      `- ${rows.map((r) => `**${r.figure}** (${r.ratio === '—' ? r.ours : r.ratio}; goal ${r.goal})`).join('; ')}: ${note}`,
  );
}
