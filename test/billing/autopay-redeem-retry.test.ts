import { describe, expect, it } from 'vitest';
import { BACKENDS, DAY, useBillingHarness } from './support/billing-harness.js';
import { subscribe } from './support/subscribe.js';

const HOUR = 60 * 60 * 1000;

// Found in review: a redeem call that fails in transit (PhonePe shows no debit attempt; the client says it is
// safe to call executeRedemption again) must be called again on a later pass — it used to be counted as
// executed, the worker only polled the NOTIFIED order until PhonePe expired it, and grace ran out.
describe.each(BACKENDS)('a transient redeem failure (%s)', (backend) => {
  const h = useBillingHarness(backend);
  const sub = async (ws: string) => (await h.billing.getSubscription(ws))!;
  const renewals = async (ws: string) =>
    (await h.store.transaction({ workspaceId: ws }, (tx) => tx.payments.listByWorkspace(ws, { limit: 50 }))).filter(
      (p) => p.purpose === 'renewal',
    );
  const run = async (ws: string) => (await h.billing.runRenewals()).items.find((i) => i.workspaceId === ws);

  it('one 503 on redeem (nothing debited): the debit is executed again on a later pass', async () => {
    await subscribe(h, 'ws_503', 'starter', { autopay: true });
    const due = (await sub('ws_503')).currentPeriodEnd;
    h.clock.set(due - 2 * DAY);
    expect(await run('ws_503')).toMatchObject({ action: 'notified' });
    await h.emu.advanceTime(20 * 60 * 1000);
    await h.emu.webhooks.idle();
    await run('ws_503');

    // PhonePe's gateway hiccups once on the redeem call (nothing was debited).
    h.emu.faults.add({
      method: 'POST',
      path: '/checkout/v2/subscriptions/redeem',
      status: 503,
      body: { code: 'INTERNAL_SERVER_ERROR', message: 'try again' },
      times: 1,
    });
    h.clock.set(due);
    expect(await run('ws_503')).toMatchObject({ action: 'error', error: { code: 'PAYMENT_OUTCOME_UNKNOWN' } });
    const debit = (await renewals('ws_503'))[0]!;
    expect(h.emu.getOrder(debit.merchantOrderId)).toMatchObject({ state: 'NOTIFIED', paymentDetails: [] });

    // The worker keeps running every 15 minutes for the next hours: it should execute the debit again.
    // The passes after the one that executes it add nothing, so the loop stops there.
    const executed = () => h.emu.getOrder(debit.merchantOrderId).paymentDetails.length > 0;
    for (let t = due + 10 * 60 * 1000; t <= due + 6 * HOUR && !executed(); t += 15 * 60 * 1000) {
      h.clock.set(t);
      await h.emu.sweep();
      await h.billing.runRenewals();
    }
    expect(h.emu.getOrder(debit.merchantOrderId).paymentDetails).not.toEqual([]);
  });

  it('… so the subscription is not expired for a debit that never ran', async () => {
    // Continue the same workspace: run the worker (and reconcile) until grace has passed — every six hours,
    // the last pass just after grace ends (the hourly passes in between only check the same pending debit).
    const due = (await sub('ws_503')).currentPeriodEnd;
    const end = due + 3 * DAY + HOUR;
    for (let t = h.clock.now(); t <= end; t = t === end ? end + 1 : Math.min(t + 6 * HOUR, end)) {
      h.clock.set(t);
      await h.emu.sweep();
      await h.emu.webhooks.idle();
      await h.billing.reconcile({ olderThanMs: 0 });
      await h.billing.runRenewals();
    }
    const debits = await renewals('ws_503');
    const executed = debits.filter((p) => h.emu.getOrder(p.merchantOrderId).paymentDetails.length > 0);
    expect(executed.length).toBeGreaterThanOrEqual(1);
  });
});
