// npm run bench [-- --quick] [--write] [--only=<section>,…] — see BENCHMARKS.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clientCalls } from './figures/client-calls.js';
import { coldImportFigure } from './figures/cold-import.js';
import { emulatorStatusFigure } from './figures/emulator-status.js';
import { installedSizeFigure } from './figures/installed-size.js';
import { memoryFigures } from './figures/memory.js';
import { renewalFigures } from './figures/renewals.js';
import { usageFigures } from './figures/usage.js';
import { verifyWebhookFigure } from './figures/verify-webhook.js';
import { webhookFigures } from './figures/webhooks.js';
import { ROOT } from './support/build.js';
import { createBenchContext, type BenchContext } from './support/context.js';
import { requireDatabaseUrl } from './support/database.js';
import { describeMachine } from './support/machine.js';
import { benchmarksMarkdown } from './support/markdown.js';
import { BenchUsageError, parseBenchArgs } from './support/options.js';
import { textTable, type FigureResult } from './support/report.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Every section, in the order they run. */
const SECTIONS: Array<{ name: string; run: (ctx: BenchContext) => Promise<FigureResult> }> = [
  { name: 'client', run: clientCalls },
  { name: 'verify', run: verifyWebhookFigure },
  { name: 'webhooks', run: webhookFigures },
  { name: 'usage', run: usageFigures },
  { name: 'renewals', run: renewalFigures },
  { name: 'emulator', run: emulatorStatusFigure },
  { name: 'import', run: (ctx) => coldImportFigure(ctx, log) },
  { name: 'size', run: (ctx) => installedSizeFigure(ctx, log) },
  { name: 'memory', run: memoryFigures },
];

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2));
  const unknown = options.only.filter((name) => !SECTIONS.some((s) => s.name === name));
  if (unknown.length > 0)
    throw new BenchUsageError(
      `Unknown section(s) ${unknown.join(', ')}; known: ${SECTIONS.map((s) => s.name).join(', ')}.`,
    );
  const databaseUrl = requireDatabaseUrl();
  const startedAt = new Date();
  const started = performance.now();
  const machine = await describeMachine(databaseUrl);
  const ctx = createBenchContext(options);
  const stop = () => void ctx.dispose().finally(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // A promise rejected outside the figure's await chain would end the process before any finally
  // ran: drop the temporary databases first.
  process.once('unhandledRejection', (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    void ctx.dispose().finally(() => process.exit(1));
  });
  const results: FigureResult[] = [];
  const selected = SECTIONS.filter((s) => options.only.length === 0 || options.only.includes(s.name));
  // --quick: the installed-size figure (npm pack + two npm installs, mostly waiting on npm) runs in the
  // background from the start to keep the run under a minute. Full runs keep every figure alone.
  const early = new Map<string, Promise<FigureResult>>();
  if (options.quick && selected.some((s) => s.name === 'size')) {
    const pending = SECTIONS.find((s) => s.name === 'size')!.run(ctx);
    pending.catch(() => {});
    early.set('size', pending);
  }
  try {
    for (const section of selected) {
      const sectionStarted = performance.now();
      log(`— ${section.name}${early.has(section.name) ? ' (started in the background)' : ''}…`);
      const result = await (early.get(section.name) ?? section.run(ctx));
      results.push(result);
      log(`${textTable(result.rows)}\n  (${((performance.now() - sectionStarted) / 1000).toFixed(1)} s)\n`);
    }
  } finally {
    await ctx.dispose();
  }
  machine.load.end = os.loadavg()[0] as number;
  const seconds = (performance.now() - started) / 1000;
  const rows = results.flatMap((r) => r.rows);
  process.stdout.write(
    `\n${textTable(rows)}\n\n${rows.filter((r) => r.met === true).length} of ${rows.filter((r) => r.met !== null).length} goals met; ${seconds.toFixed(1)} s.\n`,
  );

  const markdown = benchmarksMarkdown({ results, machine, options, startedAt, seconds });
  const outDir = join(ROOT, '.tmp', 'bench');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, 'results.json'),
    `${JSON.stringify({ command: options.command, startedAt, seconds, machine, results }, null, 2)}\n`,
  );
  const partial = options.only.length > 0;
  const target =
    (!options.quick || options.write) && !partial ? join(ROOT, 'BENCHMARKS.md') : join(outDir, 'BENCHMARKS.md');
  writeFileSync(target, markdown);
  log(
    `wrote ${target}${partial && (options.write || !options.quick) ? ' (a run with --only never rewrites BENCHMARKS.md)' : ''}`,
  );
}

main().catch((error: unknown) => {
  log(
    error instanceof BenchUsageError
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error),
  );
  process.exit(error instanceof BenchUsageError ? 2 : 1);
});
