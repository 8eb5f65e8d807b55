import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/common/clock.js';
import { startPhonePeEmulator, type PhonePeEmulator, type PhonePeEmulatorOptions } from '../../src/testing/index.js';
import { apiSetupBody, checkoutSetupBody, newId, phonePeCaller } from './support/phonepe-caller.js';

const HOUR = 3_600_000;
const started: PhonePeEmulator[] = [];
afterEach(async () => {
  for (const emu of started.splice(0)) await emu.close();
});

async function start(options: PhonePeEmulatorOptions) {
  const emu = await startPhonePeEmulator({ clock: createManualClock(Date.parse('2026-01-01T00:00:00Z')), ...options });
  started.push(emu);
  return { emu, caller: phonePeCaller(emu) };
}

/** A mandate set up through checkout and approved, with one notice already NOTIFIED through `family`. */
async function checkoutMandate(
  { emu, caller }: Awaited<ReturnType<typeof start>>,
  family: 'checkout' | 'subscriptions',
) {
  const setup = checkoutSetupBody();
  expect((await caller.post('/checkout/v2/pay', setup)).status).toBe(200);
  await emu.completeOrder(setup.merchantOrderId);
  const id = setup.paymentFlow.subscriptionDetails.merchantSubscriptionId as string;
  const cycle = newId('cycle');
  const path = family === 'checkout' ? '/checkout/v2/subscriptions/notify' : '/subscriptions/v2/notify';
  const type = family === 'checkout' ? 'SUBSCRIPTION_CHECKOUT_REDEMPTION' : 'SUBSCRIPTION_REDEMPTION';
  expect(
    (
      await caller.post(path, {
        merchantOrderId: cycle,
        amount: 100,
        paymentFlow: { type, merchantSubscriptionId: id },
      })
    ).status,
  ).toBe(200);
  return { id, setupOrderId: setup.merchantOrderId, cycle };
}

/** Every management call for one family. */
function managementCalls(
  caller: ReturnType<typeof phonePeCaller>,
  family: 'checkout' | 'subscriptions',
  id: string,
  cycle: string,
) {
  const base = family === 'checkout' ? '/checkout/v2/subscriptions' : '/subscriptions/v2';
  const orderBase = family === 'checkout' ? '/checkout/v2' : '/subscriptions/v2';
  const type = family === 'checkout' ? 'SUBSCRIPTION_CHECKOUT_REDEMPTION' : 'SUBSCRIPTION_REDEMPTION';
  return {
    status: () => caller.get(`${base}/${id}/status`),
    orderStatus: () => caller.get(`${orderBase}/order/${cycle}/status`),
    notify: () =>
      caller.post(`${base}/notify`, {
        merchantOrderId: newId('cycle'),
        amount: 100,
        paymentFlow: { type, merchantSubscriptionId: id },
      }),
    redeem: () => caller.post(`${base}/redeem`, { merchantOrderId: cycle }),
    cancel: () => caller.post(`${base}/${id}/cancel`),
  };
}

describe('mandateFamilies', () => {
  it("['checkout']: a checkout mandate is managed on /checkout/v2/subscriptions only; the API family answers 404", async () => {
    const setup = await start({ mandateFamilies: ['checkout'] });
    const { id, setupOrderId, cycle } = await checkoutMandate(setup, 'checkout');
    const other = managementCalls(setup.caller, 'subscriptions', id, cycle);
    expect(await other.status()).toMatchObject({ status: 404, body: { code: 'SUBSCRIPTION_NOT_FOUND' } });
    expect(await other.orderStatus()).toMatchObject({ status: 404, body: { code: 'INVALID_MERCHANT_ORDER_ID' } });
    expect(await other.notify()).toMatchObject({ status: 404, body: { code: 'SUBSCRIPTION_NOT_FOUND' } });
    await setup.emu.advanceTime(24 * HOUR);
    expect(await other.redeem()).toMatchObject({ status: 404, body: { code: 'INVALID_MERCHANT_ORDER_ID' } });
    expect(await other.cancel()).toMatchObject({ status: 404, body: { code: 'SUBSCRIPTION_NOT_FOUND' } });
    // Nothing happened on the refused calls.
    expect(setup.emu.getSubscription(id).state).toBe('ACTIVE');
    expect(setup.emu.getOrder(cycle).state).toBe('NOTIFIED');
    expect((setup.emu.state().orders as unknown[]).length).toBe(2);

    const served = managementCalls(setup.caller, 'checkout', id, cycle);
    expect(await served.status()).toMatchObject({ status: 200, body: { state: 'ACTIVE' } });
    expect(await served.orderStatus()).toMatchObject({ status: 200, body: { state: 'NOTIFIED' } });
    expect(await served.redeem()).toMatchObject({ status: 200, body: { state: 'PENDING' } });
    expect((await served.notify()).status).toBe(200);
    expect((await served.cancel()).status).toBe(204);
    // The setup order is a /checkout/v2/pay order: its status is on the checkout family in every reading.
    expect((await setup.caller.get(`/checkout/v2/order/${setupOrderId}/status`)).status).toBe(200);
  });

  it("['subscriptions']: the checkout family refuses, with 401 PR004 when wrongFamilyStatus is 401", async () => {
    const setup = await start({ mandateFamilies: ['subscriptions'], wrongFamilyStatus: 401 });
    const { id, cycle } = await checkoutMandate(setup, 'subscriptions');
    const other = managementCalls(setup.caller, 'checkout', id, cycle);
    await setup.emu.advanceTime(24 * HOUR);
    for (const call of [other.status, other.orderStatus, other.notify, other.redeem, other.cancel]) {
      // The caller fetches a new token and tries again once, as PhonePe's Node SDK does; still 401.
      const answer = await call();
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ errorCode: 'PR004', message: 'Unauthorized' });
    }
    expect(setup.emu.getSubscription(id).state).toBe('ACTIVE');
    const served = managementCalls(setup.caller, 'subscriptions', id, cycle);
    expect(await served.status()).toMatchObject({ status: 200, body: { state: 'ACTIVE' } });
    expect(await served.redeem()).toMatchObject({ status: 200, body: { state: 'PENDING' } });
    expect((await served.cancel()).status).toBe(200);
  });

  it('by default both families serve every mandate; API-family mandates are served on both whatever the option', async () => {
    const both = await start({});
    const { id, cycle } = await checkoutMandate(both, 'subscriptions');
    for (const family of ['checkout', 'subscriptions'] as const) {
      const calls = managementCalls(both.caller, family, id, cycle);
      expect((await calls.status()).status).toBe(200);
      expect((await calls.orderStatus()).status).toBe(200);
    }

    const narrowed = await start({ mandateFamilies: ['checkout'] });
    const body = apiSetupBody();
    await narrowed.caller.post('/subscriptions/v2/setup', body);
    await narrowed.emu.completeOrder(body.merchantOrderId);
    const apiId = body.paymentFlow.merchantSubscriptionId as string;
    expect((await narrowed.caller.get(`/subscriptions/v2/${apiId}/status`)).status).toBe(200);
    expect((await narrowed.caller.get(`/checkout/v2/subscriptions/${apiId}/status`)).status).toBe(200);
  });

  it('refuses an empty or unknown family list', async () => {
    await expect(startPhonePeEmulator({ mandateFamilies: [] })).rejects.toThrow(
      /mandateFamilies needs at least one family/,
    );
    await expect(startPhonePeEmulator({ mandateFamilies: ['api'] } as never)).rejects.toThrow(/mandateFamilies/);
    await expect(startPhonePeEmulator({ wrongFamilyStatus: 403 } as never)).rejects.toThrow(
      /wrongFamilyStatus must be 401 or 404/,
    );
  });
});
