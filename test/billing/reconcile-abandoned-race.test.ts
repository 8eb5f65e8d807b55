import { describe, expect, it } from 'vitest';
import { decidePayment } from '../../src/billing/payment-state-machine.js';
import { BACKENDS, RETURN_URL, useBillingHarness } from './support/billing-harness.js';

// Found in review: refreshPayment decides "abandoned" from a row it read *before* asking PhonePe. If another
// request submits that row to PhonePe meanwhile (it is then `pending`, payable), the verdict must not expire
// it — and if PhonePe's status API later says COMPLETED, the payer must get what they paid for.
describe('the "abandoned" verdict (state machine)', () => {
  it('is applied to a pending payment that PhonePe has accepted', () => {
    const decision = decidePayment(
      { state: 'pending', amountPaise: 99_900, merchantOrderId: 'ord_1', phonepeOrderId: 'OMO1' },
      { type: 'abandoned' },
    );
    // "abandoned" means "our row never reached PhonePe": it can only be true of a `created` row.
    expect(decision.action).not.toBe('transition');
  });
});

describe.each(BACKENDS)('reconcile racing a resubmitted checkout (%s)', (backend) => {
  // Holds PhonePe's answer to one order-status call (reconcile's) until the test lets it through: the
  // "slow network" of the scenario, without a real wait.
  const held = { pattern: null as string | null, reached: () => {}, release: () => {} };
  const h = useBillingHarness(backend, {
    client: {
      fetch: async (input, init) => {
        const response = await globalThis.fetch(input, init);
        const url = input instanceof Request ? input.url : String(input);
        if (held.pattern !== null && url.includes(held.pattern)) {
          held.pattern = null;
          const released = new Promise<void>((resolve) => (held.release = resolve));
          held.reached();
          await released;
        }
        return response;
      },
    },
  });

  it('reconcile expires an order that was just created at PhonePe; the payer pays and gets nothing', {
    timeout: 30_000,
  }, async () => {
    const input = {
      workspaceId: 'ws_race',
      userId: 'u1',
      planId: 'starter',
      amount: 99_900,
      returnUrl: RETURN_URL,
      idempotencyKey: 'checkout-ws_race-1',
    };
    // PhonePe's gateway fails the first create call; it has no such order (outcome known: not created).
    h.emu.faults.add({
      method: 'POST',
      path: '/checkout/v2/pay',
      status: 503,
      body: { code: 'INTERNAL_SERVER_ERROR', message: 'busy' },
      times: 1,
    });
    await expect(h.billing.createCheckout(input)).rejects.toMatchObject({ code: 'PAYMENT_OUTCOME_UNKNOWN' });
    const row = (await h.store.transaction({ workspaceId: 'ws_race' }, (tx) =>
      tx.payments.getByIdempotencyKey('ws_race', 'checkout-ws_race-1'),
    ))!;
    expect(row.state).toBe('created');

    // 36 minutes later (past orderExpireAfterSeconds + 5 min) the client retries with the same key while
    // reconcile is checking the row. PhonePe's "no such order" answer to reconcile is in flight (slow
    // network) when the retry resubmits the stale `created` row and PhonePe creates the order.
    h.clock.advance(36 * 60 * 1000);
    h.emu.faults.add({
      method: 'GET',
      path: `/checkout/v2/order/${row.merchantOrderId}/status`,
      status: 404,
      body: { code: 'INVALID_MERCHANT_ORDER_ID', message: 'No entry found for given merchant order id' },
      times: 1,
    });
    const answered = new Promise<void>((resolve) => (held.reached = resolve));
    held.pattern = `/checkout/v2/order/${row.merchantOrderId}/status`;
    const reconciling = h.billing.reconcile({ olderThanMs: 0 });
    await answered;
    const retried = await h.billing.createCheckout(input);
    expect(retried).toMatchObject({ orderId: row.merchantOrderId, state: 'pending', replayed: true });
    expect(retried.paymentUrl).toBeTruthy();
    held.release();
    await reconciling;

    // The payer pays on the page they were just given.
    await h.emu.completeOrder(row.merchantOrderId);
    await h.emu.webhooks.idle();
    expect(h.emu.getOrder(row.merchantOrderId).state).toBe('COMPLETED');
    expect((await h.billing.getPayment(row.merchantOrderId))?.state).toBe('completed');
    expect((await h.billing.getSubscription('ws_race'))?.status).toBe('active');
  });
});
