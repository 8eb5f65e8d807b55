// One pass of the renewal worker: reminders and renewal checkouts for manual plans, pre-debit notices and
// debits for autopay, past-due and expiry. Run it from cron every few minutes (several workers may run at
// once: each subscription is claimed by one). `phonepe-billing renew` is the same from the CLI.
//   npx tsx --tsconfig examples/tsconfig.json --env-file=.env.phonepe examples/scripts/run-renewals.ts
import { runScript } from './run-script.js';

await runScript(async ({ billing }) => {
  const run = await billing.runRenewals({ limit: 100 });
  for (const item of run.items)
    console.log(
      `${item.workspaceId} ${item.subscriptionId}: ${item.action} ${item.detail}${item.error ? ` (${item.error.code})` : ''}`,
    );
  const summary = Object.entries(run.summary)
    .map(([action, count]) => `${action} ${count}`)
    .join(', ');
  console.log(`renewals: ${run.claimed} subscriptions due${summary ? ` (${summary})` : ''}.`);
  return run.items.some((item) => item.action === 'error') ? 1 : 0;
});
