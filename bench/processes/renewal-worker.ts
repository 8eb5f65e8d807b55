// A renewal worker process for the renewals figure: its own manager, pool and PhonePe client on the
// shared database and emulator, on a manual clock the parent sets for each phase. Started by
// bench/figures/renewals.ts with `fork(…, { execArgv: ['--import', 'tsx'] })`.
import { createManualClock } from '../../src/common/clock.js';
import { openBillingStack } from '../support/billing-stack.js';
import { countingFetch } from '../support/counting-fetch.js';

/** Parent → worker. */
export type WorkerCommand = { type: 'run'; now: number } | { type: 'stop' };
/** Worker → parent. */
export type WorkerReply =
  | { type: 'ready' }
  | {
      type: 'done';
      claimed: number;
      statements: number;
      transactions: number;
      calls: number;
      tokenCalls: number;
      maxInFlight: number;
      actions: Record<string, number>;
      errors: string[];
    }
  | { type: 'failed'; message: string };

const [databaseUrl, phonepeBaseUrl, workerId, startAt] = process.argv.slice(2) as [string, string, string, string];
const send = (reply: WorkerReply) => process.send?.(reply);

const clock = createManualClock(Number(startAt));
const { fetch, counter: phonepe } = countingFetch();
const stack = await openBillingStack({ databaseUrl, phonepeBaseUrl, clock, fetch });

/** Runs passes until nothing is due for this worker: one phase of the renewal cycle. */
async function runPhase(now: number): Promise<WorkerReply> {
  clock.set(now);
  const before = {
    statements: stack.counter.statements,
    transactions: stack.counter.transactions,
    calls: phonepe.calls,
    tokenCalls: phonepe.tokenCalls,
  };
  phonepe.maxInFlight = 0;
  const actions: Record<string, number> = {};
  const errors: string[] = [];
  let claimed = 0;
  // A step may leave a subscription due again at once (a debit found already notified): pass again
  // until nothing is due. The bound only stops a bug from spinning forever.
  for (let pass = 0; pass < 1_000; pass += 1) {
    const run = await stack.billing.runRenewals({ workerId });
    claimed += run.claimed;
    for (const item of run.items) {
      actions[item.action] = (actions[item.action] ?? 0) + 1;
      if (item.error) errors.push(`${item.error.code}: ${item.error.message}`);
    }
    if (run.claimed === 0) break;
  }
  return {
    type: 'done',
    claimed,
    statements: stack.counter.statements - before.statements,
    transactions: stack.counter.transactions - before.transactions,
    calls: phonepe.calls - before.calls,
    tokenCalls: phonepe.tokenCalls - before.tokenCalls,
    maxInFlight: phonepe.maxInFlight,
    actions,
    errors,
  };
}

process.on('message', (command: WorkerCommand) => {
  if (command.type === 'stop') {
    void stack.close().finally(() => process.exit(0));
    return;
  }
  runPhase(command.now).then(send, (error: unknown) =>
    send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
send({ type: 'ready' });
