import { createProgress } from '../progress.js';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BillingHooks } from '../../billing/billing-hooks.js';
import { isConfigError } from '../../config/config-error.js';
import { BILLING_FLAGS, BILLING_FLAGS_HELP, openBilling, type OpenedBilling, stderrLogger } from '../open-billing.js';
import { parseCliArgs } from '../parse-cli-args.js';
import { intFlag } from '../run-billing-job.js';

const USAGE = `Usage: phonepe-billing events [options]

The outbox of billing events (payment completed, subscription past due, …): every event is written in
the transaction of the change it reports and delivered to your app's hooks after the commit, at least
once. This command shows what is pending and dead, replays dead events, and — given your hooks as a
module — delivers what is due. Without --hooks it delivers nothing: the hooks are functions of your
app, which this process does not have, and delivering without them would only mark events delivered.
Run billing.dispatchEvents() in your app's own process (a timer or a worker) instead, or pass --hooks.
Exit code: 0 when done, 1 when something failed (an unknown or not-dead event to replay, a delivery that
failed), 2 on bad usage.

Options:
  (none)                      print the counts: pending, due now, dead, delivered, oldest pending
  --dead                      list dead events (newest first): id, hook, workspace, attempts, last error
  --replay <event-id>         make a dead event pending again; the next dispatch delivers it
  --hooks <module>            an ES module exporting your BillingHooks (default export or \`hooks\`):
                              deliver the due events once through them
  --loop                      with --hooks: keep delivering until SIGINT/SIGTERM
  --interval <seconds>        with --loop: the wait between passes when nothing is due (default 5)
  --limit <n>                 events per pass, or dead events listed (default 100)
${BILLING_FLAGS_HELP}
`;

const OPTIONS = {
  ...BILLING_FLAGS,
  dead: { type: 'boolean' },
  replay: { type: 'string' },
  hooks: { type: 'string' },
  loop: { type: 'boolean' },
  interval: { type: 'string' },
  limit: { type: 'string' },
} as const;

/** `phonepe-billing events`. */
export async function run(argv: readonly string[]): Promise<number> {
  const parsed = parseCliArgs('events', USAGE, argv, OPTIONS);
  if ('exitCode' in parsed) return parsed.exitCode;
  const values = parsed.values;
  const modes = [values.dead, values.replay !== undefined, values.hooks !== undefined].filter(Boolean).length;
  const usageError = (message: string) => {
    process.stderr.write(`phonepe-billing events: ${message}\n\n${USAGE}`);
    return 2;
  };
  if (modes > 1) return usageError('choose one of --dead, --replay and --hooks.');
  if (values.loop && values.hooks === undefined)
    return usageError('--loop delivers events, which needs your hooks: pass --hooks <module>.');
  let limit: number;
  let intervalMs: number;
  try {
    limit = Math.max(1, intFlag(values.limit, 'limit', 100));
    intervalMs = intFlag(values.interval, 'interval', 5) * 1000;
  } catch (error) {
    return usageError((error as Error).message);
  }
  let hooks: BillingHooks | undefined;
  if (typeof values.hooks === 'string') {
    try {
      hooks = await loadHooks(values.hooks);
    } catch (error) {
      process.stderr.write(`phonepe-billing events: ${(error as Error).message}\n`);
      return 2;
    }
  }
  let opened: OpenedBilling;
  try {
    opened = await openBilling(values as Record<string, string>, stderrLogger, hooks ? { hooks } : {});
  } catch (error) {
    process.stderr.write(`phonepe-billing events: ${(error as Error).message}\n`);
    return isConfigError(error) || /no database given/.test((error as Error).message) ? 2 : 1;
  }
  try {
    if (values.dead) return await listDead(opened, limit);
    if (typeof values.replay === 'string') return await replay(opened, values.replay);
    if (hooks) return await deliver(opened, { limit, loop: values.loop === true, intervalMs });
    return await printCounts(opened);
  } catch (error) {
    process.stderr.write(`phonepe-billing events: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await opened.close();
  }
}

/** The host's hooks from an ES module: its default export, or its `hooks` export. */
async function loadHooks(path: string): Promise<BillingHooks> {
  const url = pathToFileURL(isAbsolute(path) ? path : resolve(process.cwd(), path)).href;
  const module = (await import(url)) as { default?: unknown; hooks?: unknown };
  const hooks = module.hooks ?? module.default;
  if (!hooks || typeof hooks !== 'object')
    throw new Error(`${path} exports no hooks: export default { paymentCompleted(event) { … }, … } (BillingHooks).`);
  return hooks as BillingHooks;
}

async function printCounts({ billing }: OpenedBilling): Promise<number> {
  const counts = await billing.eventCounts();
  const oldest = counts.oldestPendingAt === null ? 'none' : new Date(counts.oldestPendingAt).toISOString();
  process.stdout.write(
    `events: ${counts.pending} pending (${counts.due} due now), ${counts.dead} dead, ${counts.delivered} delivered; oldest pending ${oldest}\n`,
  );
  return 0;
}

async function listDead({ billing }: OpenedBilling, limit: number): Promise<number> {
  const dead = await billing.listDeadEvents({ limit });
  for (const event of dead)
    process.stdout.write(
      `${event.id} ${event.event} workspace=${event.workspaceId ?? '-'} attempts=${event.attempts} written=${new Date(event.createdAt).toISOString()} error=${JSON.stringify(event.lastError ?? '')}\n`,
    );
  process.stdout.write(`events: ${dead.length} dead${dead.length === limit ? ` (first ${limit})` : ''}\n`);
  return 0;
}

async function replay({ billing }: OpenedBilling, eventId: string): Promise<number> {
  const event = await billing.replayEvent(eventId);
  process.stdout.write(`${event.id} ${event.event}: pending again; the next dispatch delivers it\n`);
  return 0;
}

async function deliver(
  { billing }: OpenedBilling,
  options: { limit: number; loop: boolean; intervalMs: number },
): Promise<number> {
  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let failed = 0;
  let delivered = 0;
  // Each pass is a plain line; on a terminal a live total of what was delivered stays below them.
  const progress = createProgress(process.stdout, 'events delivered');
  try {
    while (!stopping) {
      const result = await billing.dispatchEvents({ limit: options.limit });
      failed += result.retried + result.dead;
      delivered += result.delivered;
      if (result.claimed > 0 || !options.loop)
        progress.line(
          `events: ${result.claimed} claimed, ${result.delivered} delivered, ${result.retried} to retry, ${result.dead} dead, ${result.deferred} deferred`,
        );
      progress.tick(delivered, null);
      // A full pass may have left more due: go again at once.
      if (result.claimed === options.limit) continue;
      if (!options.loop) break;
      // Wait in short steps, so a signal stops the loop soon.
      for (let waited = 0; waited < options.intervalMs && !stopping; waited += 100)
        await new Promise((done) => setTimeout(done, 100));
    }
  } finally {
    progress.end();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return failed > 0 ? 1 : 0;
}
