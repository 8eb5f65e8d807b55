// Writes the plans declared in examples/common/plans.ts to the database (the example apps also do this at
// start-up). Safe to run again: existing plans are updated, none are deleted.
//   npx tsx --tsconfig examples/tsconfig.json --env-file=.env.phonepe examples/scripts/sync-plans.ts
import { formatRupeesForDisplay } from 'phonepe-billing';
import { runScript } from './run-script.js';

await runScript(async ({ billing }) => {
  const plans = await billing.syncPlans();
  for (const plan of plans) {
    const limits = Object.entries(plan.limits)
      .map(([metric, limit]) => `${metric} ${limit ?? 'unlimited'}`)
      .join(', ');
    console.log(
      `${plan.id.padEnd(10)} ${formatRupeesForDisplay(plan.pricePaise).padStart(10)} / ${plan.interval}  ${limits}`,
    );
  }
  console.log(`${plans.length} plans synced.`);
});
