import { describe, expect, it } from 'vitest';
import { BillingError } from '../../src/billing/errors.js';
import { BACKENDS, useBillingHarness, hookNames, RETURN_URL, DAY, START } from './support/billing-harness.js';
import { addIntervals } from '../../src/billing/billing-period.js';
import { subscribe } from './support/subscribe.js';
import { decidePayment } from '../../src/billing/payment-state-machine.js';
import { createBillingHandler } from '../../src/http/index.js';
import { isStoreInputError } from '../../src/storage/index.js';
import { ApiClient, handlerCaller } from '../http/support/api-client.js';
import { createHttpHarness } from '../http/support/http-harness.js';
import { subscribe as subscribeOverHttp } from '../http/support/mounted-api.js';
import { storeSnapshot } from '../http/support/store-snapshot.js';
import { databaseUrl } from '../support/environment.js';

describe.each(BACKENDS)('checkout → payment → active subscription (%s)', (backend) => {
  const h = useBillingHarness(backend);

  it('creates the payment row first, then the PhonePe order, and activates on a webhook-confirmed payment', async () => {
    const session = await h.billing.createCheckout({
      workspaceId: 'ws_a',
      userId: 'u_owner',
      planId: 'pro',
      amount: 299_900,
      returnUrl: RETURN_URL,
    });
    expect(session).toMatchObject({
      amount: 299_900,
      planId: 'pro',
      state: 'pending',
      autopay: false,
      replayed: false,
    });
    expect(session.paymentUrl).toMatch(new RegExp(`^${h.emu.url}/transact/`));
    const order = h.emu.getOrder(session.orderId);
    expect(order).toMatchObject({ state: 'PENDING', amount: 299_900 });

    await h.emu.completeOrder(session.orderId);
    await h.emu.webhooks.idle();
    const payment = await h.billing.getPayment(session.orderId);
    expect(payment).toMatchObject({
      state: 'completed',
      workspaceId: 'ws_a',
      amountPaise: 299_900,
      phonepeOrderId: order.orderId,
    });
    expect(payment?.settledAt).not.toBeNull();

    const view = await h.billing.getSubscription('ws_a');
    expect(view).toMatchObject({
      planId: 'pro',
      planName: 'Pro',
      status: 'active',
      renewalMode: 'manual',
      limits: { projects: 50, api_calls: 100_000 },
    });
    expect(view?.usage).toEqual({
      api_calls: { current: 0, limit: 100_000, percentage: 0 },
      projects: { current: 0, limit: 50, percentage: 0 },
    });
    expect(view!.currentPeriodEnd).toBe(Date.parse('2026-12-01T00:00:00.000Z'));
    expect(hookNames(h)).toEqual(['subscriptionActivated', 'paymentCompleted']);
    expect(h.webhookResults.map((r) => r.outcome)).toEqual(['processed']);
    // The payer's browser arrives after the webhook: it is sent back as completed, nothing happens twice.
    const redirect = await h.billing.handleRedirect(session.orderId);
    expect(redirect).toMatchObject({
      status: 'completed',
      redirectUrl: `${RETURN_URL}?payment_status=completed&order_id=${session.orderId}`,
    });
    expect(hookNames(h)).toEqual(['subscriptionActivated', 'paymentCompleted']);
  });

  it('the redirect callback confirms with PhonePe and sends the payer to the stored return URL', async () => {
    const session = await h.billing.createCheckout({
      workspaceId: 'ws_b',
      userId: 'u_b',
      planId: 'starter',
      amount: 99_900,
      returnUrl: `${RETURN_URL}?from=checkout`,
    });
    h.emu.webhooks.hold();
    await h.emu.completeOrder(session.orderId);
    const redirect = await h.billing.handleRedirect(session.orderId);
    expect(redirect.status).toBe('completed');
    expect(redirect.redirectUrl).toBe(
      `${RETURN_URL}?from=checkout&payment_status=completed&order_id=${session.orderId}`,
    );
    expect((await h.billing.getSubscription('ws_b'))?.status).toBe('active');
    // The webhook arriving after the redirect changes nothing and activates nothing twice.
    const before = h.hookCalls.length;
    await h.emu.webhooks.release();
    await h.emu.webhooks.idle();
    expect(h.hookCalls.length).toBe(before);
    expect(h.webhookResults.at(-1)?.outcome).toBe('processed');
  });

  it('a failed payment fails the row and activates nothing', async () => {
    const session = await h.billing.createCheckout({
      workspaceId: 'ws_c',
      userId: 'u_c',
      planId: 'starter',
      amount: 99_900,
      returnUrl: RETURN_URL,
    });
    await h.emu.failOrder(session.orderId, { errorCode: 'INSUFFICIENT_BALANCE', detailedErrorCode: 'Z9' });
    await h.emu.webhooks.idle();
    expect(await h.billing.getPayment(session.orderId)).toMatchObject({
      state: 'failed',
      errorCode: 'INSUFFICIENT_BALANCE',
    });
    expect(await h.billing.getSubscription('ws_c')).toBeNull();
    const redirect = await h.billing.handleRedirect(session.orderId);
    expect(redirect.redirectUrl).toContain('payment_status=failed');
  });

  it('an order nobody pays expires', async () => {
    const session = await h.billing.createCheckout({
      workspaceId: 'ws_d',
      userId: 'u_d',
      planId: 'starter',
      amount: 99_900,
      returnUrl: RETURN_URL,
    });
    await h.emu.advanceTime(31 * 60 * 1000);
    await h.emu.webhooks.idle();
    expect((await h.billing.getPayment(session.orderId))?.state).toBe('expired');
    expect(await h.billing.getSubscription('ws_d')).toBeNull();
  });

  it('the same idempotency key returns the same checkout; a different request with it is refused', async () => {
    const input = {
      workspaceId: 'ws_e',
      userId: 'u_e',
      planId: 'pro',
      amount: 299_900,
      returnUrl: RETURN_URL,
      idempotencyKey: 'idem-1',
    };
    const [a, b] = await Promise.all([h.billing.createCheckout(input), h.billing.createCheckout(input)]);
    expect(b.orderId).toBe(a.orderId);
    expect(b.paymentUrl).toBe(a.paymentUrl);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    await expect(h.billing.createCheckout({ ...input, planId: 'starter', amount: 99_900 })).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
  });

  it.each([
    [{ amount: 299_800 }, 'AMOUNT_MISMATCH'],
    [{ amount: 2999 }, 'AMOUNT_MISMATCH'],
    [{ amount: 2999.5 }, 'INVALID_INPUT'],
    [{ planId: 'nope' }, 'PLAN_NOT_FOUND'],
    [{ currency: 'USD' }, 'CURRENCY_NOT_SUPPORTED'],
    [{ returnUrl: 'https://app.example.com.evil.io/x' }, 'RETURN_URL_NOT_ALLOWED'],
    [{ returnUrl: 'javascript:alert(1)' }, 'RETURN_URL_NOT_ALLOWED'],
    [{ returnUrl: '//evil.io' }, 'RETURN_URL_NOT_ALLOWED'],
    [{ returnUrl: 'https://user@app.example.com/' }, 'RETURN_URL_NOT_ALLOWED'],
    [{ extra: 1 }, 'INVALID_INPUT'],
    [{ planId: 'enterprise', amount: 999_900, autopay: true }, 'AUTOPAY_LIMIT_EXCEEDED'],
  ])('refuses %j with %s and writes nothing', async (change, code) => {
    const input = {
      workspaceId: 'ws_bad',
      userId: 'u',
      planId: 'pro',
      amount: 299_900,
      returnUrl: RETURN_URL,
      ...change,
    };
    const error = await h.billing.createCheckout(input as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BillingError);
    expect(error).toMatchObject({ code });
    expect((error as BillingError).message.length).toBeGreaterThan(20);
    expect(
      await h.store.transaction({ workspaceId: 'ws_bad' }, (tx) =>
        tx.payments.listByWorkspace('ws_bad', { limit: 10 }),
      ),
    ).toEqual([]);
  });

  it('refuses a second subscription to the same plan while one is active, and points to change-plan for another plan', async () => {
    await expect(
      h.billing.createCheckout({
        workspaceId: 'ws_a',
        userId: 'u_owner',
        planId: 'pro',
        amount: 299_900,
        returnUrl: RETURN_URL,
      }),
    ).rejects.toMatchObject({ code: 'SUBSCRIPTION_EXISTS' });
    await expect(
      h.billing.createCheckout({
        workspaceId: 'ws_a',
        userId: 'u_owner',
        planId: 'starter',
        amount: 99_900,
        returnUrl: RETURN_URL,
      }),
    ).rejects.toThrow(/change-plan/);
  });
});

// Found in review: when a second payment completes for something already paid, the money is taken: it
// must never be swallowed silently. It changes nothing, is audited (`payment.unapplied`) and reported
// through the anomaly hook (kind `duplicate_payment`) so the host can refund it; a mandate it set up is
// cancelled, the one in use stays.
describe.each(BACKENDS)('a second completed payment for what is already paid (%s)', (backend) => {
  const h = useBillingHarness(backend);
  const anomaliesFor = (orderId: string) =>
    h.hookCalls.filter((c) => c.name === 'anomaly' && c.event.subjectId === orderId);

  it('two new-subscription checkouts both paid: the second changes nothing and is reported', async () => {
    // Two tabs / two clicks: with no live subscription both checkouts are accepted.
    const input = {
      workspaceId: 'ws_two_tabs',
      userId: 'u1',
      planId: 'starter',
      amount: 99_900,
      returnUrl: RETURN_URL,
    };
    const first = await h.billing.createCheckout(input);
    const second = await h.billing.createCheckout(input);
    await h.emu.completeOrder(first.orderId);
    await h.emu.webhooks.idle();
    h.clock.advance(DAY);
    await h.emu.completeOrder(second.orderId);
    await h.emu.webhooks.idle();
    expect((await h.billing.getPayment(first.orderId))?.state).toBe('completed');
    expect((await h.billing.getPayment(second.orderId))?.state).toBe('completed');

    const view = (await h.billing.getSubscription('ws_two_tabs'))!;
    expect(view.currentPeriodEnd).toBe(addIntervals(START, 'month', 1));
    expect(
      h.hookCalls.filter(
        (c) => c.name === 'subscriptionActivated' && c.event.subscription.workspaceId === 'ws_two_tabs',
      ),
    ).toHaveLength(1);
    expect(anomaliesFor(second.orderId).map((c) => c.event.kind)).toEqual(['duplicate_payment']);
    const audit = await h.store.transaction({ workspaceId: 'ws_two_tabs' }, (tx) =>
      tx.audit.listByWorkspace('ws_two_tabs', { limit: 20 }),
    );
    expect(audit.some((a) => a.action === 'payment.unapplied' && a.data.amountPaise === 99_900)).toBe(true);
  });

  it('two autopay checkouts both paid: the subscription keeps the first mandate and the second is cancelled', async () => {
    const input = {
      workspaceId: 'ws_two_mandates',
      userId: 'u1',
      planId: 'starter',
      amount: 99_900,
      returnUrl: RETURN_URL,
      autopay: true,
    };
    const first = await h.billing.createCheckout(input);
    const second = await h.billing.createCheckout(input);
    await h.emu.completeOrder(first.orderId);
    await h.emu.completeOrder(second.orderId);
    await h.emu.webhooks.idle();
    const firstMandate = (await h.billing.getPayment(first.orderId))!.merchantSubscriptionId!;
    const secondMandate = (await h.billing.getPayment(second.orderId))!.merchantSubscriptionId!;
    const tracked = await h.store.transaction({ system: true }, (tx) =>
      tx.subscriptions.getByMerchantSubscriptionId(firstMandate),
    );
    expect(tracked).toMatchObject({ workspaceId: 'ws_two_mandates', renewalMode: 'autopay', mandateState: 'ACTIVE' });
    expect(h.emu.getSubscription(firstMandate)).toMatchObject({ state: 'ACTIVE' });
    // No mandate is left ACTIVE in the payer's UPI app that nothing tracks.
    // PhonePe takes a moment to cancel: CANCEL_IN_PROGRESS (no further debits), then CANCELLED.
    expect(h.emu.getSubscription(secondMandate)).toMatchObject({ state: 'CANCEL_IN_PROGRESS' });
    await h.emu.advanceTime(5_000);
    expect(h.emu.getSubscription(secondMandate)).toMatchObject({ state: 'CANCELLED' });
    expect(anomaliesFor(second.orderId).map((c) => c.event.kind)).toEqual(['duplicate_payment']);
  });

  it('two renewal checkouts for the same period both paid: the second is reported, not swallowed', async () => {
    await subscribe(h, 'ws_two_renewals', 'starter');
    const first = (await h.billing.getSubscription('ws_two_renewals'))!;
    const due = first.currentPeriodEnd;
    h.clock.set(due - 2 * DAY);
    // The renewal worker sends a reminder with a renewal checkout …
    await h.billing.runRenewals();
    const reminder = h.hookCalls
      .filter((c) => c.name === 'renewalReminder' && c.event.subscription.workspaceId === 'ws_two_renewals')
      .at(-1)!.event;
    expect(reminder.payment).toMatchObject({ purpose: 'renewal' });
    // … and the owner also renews from the billing page (accepted: same plan, inside the reminder window).
    const own = await h.billing.createCheckout({
      workspaceId: 'ws_two_renewals',
      userId: 'u1',
      planId: 'starter',
      amount: 99_900,
      returnUrl: RETURN_URL,
    });
    await h.emu.completeOrder(reminder.payment.merchantOrderId);
    await h.emu.completeOrder(own.orderId);
    await h.emu.webhooks.idle();
    expect(await h.billing.getPayment(own.orderId)).toMatchObject({ state: 'completed', purpose: 'renewal' });

    const view = (await h.billing.getSubscription('ws_two_renewals'))!;
    expect(view.currentPeriodEnd).toBe(addIntervals(first.currentPeriodStart, 'month', 2));
    expect(anomaliesFor(own.orderId).map((c) => c.event.kind)).toEqual(['duplicate_payment']);
    expect(anomaliesFor(own.orderId)[0]!.event.detail).toContain(`billing.refund('${own.orderId}')`);
  });
});

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

// A host calling the manager directly (no HTTP edge in front) with text PostgreSQL cannot hold gets
// the same typed StoreInputError from every store, and nothing is written here or at PhonePe.
describe.each(databaseUrl ? (['memory', 'postgres'] as const) : (['memory'] as const))(
  'library callers with unstorable text (%s)',
  (backend) => {
    it('cancel and refund refuse a NUL character or a lone surrogate with StoreInputError, writing nothing', async () => {
      const h = await createHttpHarness({ backend });
      try {
        const orderId = await subscribeOverHttp(
          h,
          new ApiClient(handlerCaller(createBillingHandler(h.options())), '/v1'),
          'ws_lib',
        );
        const before = await storeSnapshot(h.store, ['ws_lib']);
        const cancel = await h.billing
          .cancel('ws_lib', { reason: 'too\u0000expensive', atPeriodEnd: true, userId: 'u_owner' })
          .catch((e: unknown) => e);
        expect(isStoreInputError(cancel) && [cancel.operation, cancel.field, cancel.problem]).toEqual([
          'subscriptions.update',
          'cancellationReason',
          'nul_character',
        ]);
        const refund = await h.billing
          .refund(orderId, { amount: 100, reason: 'half \ud83d', requestedBy: 'u_owner', workspaceId: 'ws_lib' })
          .catch((e: unknown) => e);
        expect(isStoreInputError(refund) && [refund.operation, refund.field, refund.problem]).toEqual([
          'refunds.insert',
          'reason',
          'lone_surrogate',
        ]);
        expect(await storeSnapshot(h.store, ['ws_lib'])).toEqual(before);
        expect((h.emu.state() as { refunds: unknown[] }).refunds).toEqual([]);
      } finally {
        await h.close();
      }
    });
  },
);
