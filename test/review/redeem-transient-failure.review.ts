import { describe, expect, it } from 'vitest';
import { BACKENDS, DAY, useBillingHarness } from '../billing/support/billing-harness.js';
import { subscribe } from '../billing/support/subscribe.js';

const HOUR = 60 * 60 * 1000;

// executeDebit (src/billing/renewals/autopay-debit.ts) counts the attempt (`attempts + 1`) before calling
// redeem; advanceDebit (src/billing/renewals/advance-debit.ts) only ever executes when `attempts === 0`.
// When the redeem call fails in transit and PhonePe shows no debit attempt (the client says "safe to call
// executeRedemption again"), the debit is never executed again: the worker only polls the NOTIFIED order
// until PhonePe expires it, and by then the grace period is spent.
describe.each(BACKENDS)('a transient redeem failure (%s)', (backend) => {
  const h = useBillingHarness(backend);
  const sub = async (ws: string) => (await h.billing.getSubscription(ws))!;
  const renewals = async (ws: string) =>
    (await h.store.transaction({ workspaceId: ws }, (tx) => tx.payments.listByWorkspace(ws, { limit: 50 }))).filter((p) => p.purpose === 'renewal');
  const run = async (ws: string) => (await h.billing.runRenewals()).items.find((i) => i.workspaceId === ws);

  it('one 503 on redeem (nothing debited): the debit is never executed again', async () => {
    await subscribe(h, 'ws_503', 'starter', { autopay: true });
    const due = Date.parse((await sub('ws_503')).current_period_end);
    h.clock.set(due - 2 * DAY);
    expect(await run('ws_503')).toMatchObject({ action: 'notified' });
    await h.emu.advanceTime(20 * 60 * 1000);
    await h.emu.webhooks.idle();
    await run('ws_503');

    // PhonePe's gateway hiccups once on the redeem call (nothing was debited).
    h.emu.faults.add({ method: 'POST', path: '/checkout/v2/subscriptions/redeem', status: 503, body: { code: 'INTERNAL_SERVER_ERROR', message: 'try again' }, times: 1 });
    h.clock.set(due);
    expect(await run('ws_503')).toMatchObject({ action: 'error', error: { code: 'PAYMENT_OUTCOME_UNKNOWN' } });
    const debit = (await renewals('ws_503'))[0]!;
    expect(h.emu.getOrder(debit.merchantOrderId)).toMatchObject({ state: 'NOTIFIED', paymentDetails: [] });

    // The worker keeps running every 15 minutes for the next hours: it should execute the debit again.
    for (let t = due + 10 * 60 * 1000; t <= due + 6 * HOUR; t += 15 * 60 * 1000) {
      h.clock.set(t);
      await h.emu.sweep();
      await h.billing.runRenewals();
    }
    // Today: still no debit attempt at PhonePe — advanceDebit only re-reads the order status.
    expect(h.emu.getOrder(debit.merchantOrderId).paymentDetails).not.toEqual([]);
  });

  it('… and the consequence: expired at the end of grace although the mandate was fine all along', async () => {
    // Continue the same workspace: run the worker (and reconcile) every hour until grace has passed.
    const due = Date.parse((await sub('ws_503')).current_period_end);
    for (let t = h.clock.now(); t <= due + 3 * DAY + HOUR; t += HOUR) {
      h.clock.set(t);
      await h.emu.sweep();
      await h.emu.webhooks.idle();
      await h.billing.reconcile({ olderThanMs: 0 });
      await h.billing.runRenewals();
    }
    const debits = await renewals('ws_503');
    const executed = debits.filter((p) => h.emu.getOrder(p.merchantOrderId).paymentDetails.length > 0);
    // Today: zero executed debits across the whole cycle, and the subscription is expired.
    expect({ status: (await sub('ws_503')).status, executed: executed.length }).not.toEqual({ status: 'expired', executed: 0 });
  });
});
