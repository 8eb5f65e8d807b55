// A host's hooks module as `phonepe-billing events --hooks <module>` loads it: every anomaly delivered
// is appended to the file named by OUTBOX_HOOKS_LOG as "<eventId> <detail>".
import { appendFileSync } from 'node:fs';
import type { BillingHooks } from '../../../src/billing/billing-hooks.js';

const hooks: BillingHooks = {
  anomaly({ eventId, detail }) {
    const log = process.env.OUTBOX_HOOKS_LOG;
    if (!log) throw new Error('OUTBOX_HOOKS_LOG is not set');
    appendFileSync(log, `${eventId} ${detail}\n`);
  },
};

export default hooks;
