import { renewalFigures as webhookFigures } from './figures/renewals.js';
import { createBenchContext } from './support/context.js';
import { parseBenchArgs } from './support/options.js';
import { textTable } from './support/report.js';
const ctx = createBenchContext(parseBenchArgs(process.argv.slice(2)));
try {
  const r = await webhookFigures(ctx);
  console.log(textTable(r.rows));
} finally { await ctx.dispose(); }
