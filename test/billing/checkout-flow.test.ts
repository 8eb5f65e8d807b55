import { describe, expect, it } from 'vitest';
import { BillingError } from '../../src/billing/errors.js';
import { BACKENDS, useBillingHarness, hookNames, RETURN_URL } from './support/billing-harness.js';

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
