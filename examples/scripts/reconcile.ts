// Repairs what webhooks missed: open payments and refunds are checked with PhonePe (on its polling
// schedule) and settled. Run it from cron every minute or so. `phonepe-billing reconcile` is the same.
//   npx tsx --tsconfig examples/tsconfig.json --env-file=.env.phonepe examples/scripts/reconcile.ts [--older-than-seconds 20]
import { parseArgs } from 'node:util';
import { runScript } from './run-script.js';

await runScript(async ({ billing }, args) => {
  const { values } = parseArgs({ args, options: { 'older-than-seconds': { type: 'string', default: '20' } } });
  const olderThanMs = Number(values['older-than-seconds']) * 1000;
  const result = await billing.reconcile({ olderThanMs, limit: 100 });
  for (const item of result.items)
    console.log(`${item.kind} ${item.id}: ${item.before} → ${item.after} (${item.outcome}) ${item.detail}`);
  console.log(
    `reconcile: ${result.checked} checked, ${result.settled} settled, ${result.skipped} not due yet, ${result.errors} errors.`,
  );
  return result.errors > 0 ? 1 : 0;
});
