import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/common/clock.js';
import { startPhonePeEmulator, type PhonePeEmulator } from '../../src/testing/index.js';
import { apiSetupBody, checkoutSetupBody, newId, payBody, phonePeCaller } from './support/phonepe-caller.js';

const START = Date.parse('2026-01-01T00:00:00Z');
let emu: PhonePeEmulator;
let caller: ReturnType<typeof phonePeCaller>;

beforeAll(async () => {
  emu = await startPhonePeEmulator({ clock: createManualClock(START) });
  caller = phonePeCaller(emu);
});
afterAll(() => emu.close());

const flow = (extra: Record<string, unknown> = {}) => ({
  type: 'PG_CHECKOUT',
  merchantUrls: { redirectUrl: 'https://shop.example/return' },
  ...extra,
});

// Each case breaks one documented rule (docs/phonepe-protocol.md#checkout-pay) and names the text the message must contain.
const payCases: [string, Record<string, unknown>, RegExp][] = [
  ['merchantOrderId missing', { merchantOrderId: undefined }, /merchantOrderId/],
  ['merchantOrderId with a space', { merchantOrderId: 'has space' }, /merchantOrderId/],
  ['merchantOrderId with a dot', { merchantOrderId: 'a.b' }, /merchantOrderId/],
  ['merchantOrderId of 64 characters', { merchantOrderId: 'x'.repeat(64) }, /merchantOrderId/],
  ['amount missing', { amount: undefined }, /amount/],
  ['amount below 100 paise', { amount: 99 }, /amount must be at least 100/],
  ['amount with paise fractions', { amount: 100.5 }, /amount must be an integer/],
  ['amount as a string', { amount: '29999' }, /amount/],
  ['expireAfter below 300 s', { expireAfter: 299 }, /expireAfter must be between 300 and 3600/],
  ['expireAfter above 3600 s', { expireAfter: 3601 }, /expireAfter must be between 300 and 3600/],
  ['expireAfter not whole seconds', { expireAfter: 300.5 }, /expireAfter/],
  ['a renamed metaInfo key', { metaInfo: { orderRef: 'x' } }, /udf1 to udf15/],
  ['udf1 over 256 characters', { metaInfo: { udf1: 'x'.repeat(257) } }, /udf1 must be at most 256/],
  ['udf11 over 50 characters', { metaInfo: { udf11: 'x'.repeat(51) } }, /udf11 must be at most 50/],
  ['udf12 with a forbidden character', { metaInfo: { udf12: 'a#b' } }, /udf12 may contain only/],
  // The docs allow letters, digits and _ - + @ . only; the SDKs would also let a space through.
  [
    'udf13 with a space',
    { metaInfo: { udf13: 'a b' } },
    /udf13 may contain only letters, digits and _ - \+ @ \. \(no space\)/,
  ],
  ['a non-string udf', { metaInfo: { udf2: 5 } }, /udf2/],
  ['paymentFlow missing', { paymentFlow: undefined }, /paymentFlow is required/],
  [
    'an unknown paymentFlow.type',
    { paymentFlow: flow({ type: 'PG' }) },
    /paymentFlow.type must be PG_CHECKOUT or SUBSCRIPTION_CHECKOUT_SETUP/,
  ],
  ['redirectUrl missing', { paymentFlow: { type: 'PG_CHECKOUT', merchantUrls: {} } }, /redirectUrl/],
  [
    'redirectUrl not a URL',
    { paymentFlow: flow({ merchantUrls: { redirectUrl: '/relative' } }) },
    /redirectUrl must be an absolute URL/,
  ],
  [
    'an http redirectUrl that is not local',
    { paymentFlow: flow({ merchantUrls: { redirectUrl: 'http://shop.example/return' } }) },
    /redirectUrl must be an https URL \(http is allowed only for localhost and 127.0.0.1\)/,
  ],
  [
    'an http cancelRedirectUrl that is not local',
    {
      paymentFlow: flow({
        merchantUrls: { redirectUrl: 'https://shop.example/return', cancelRedirectUrl: 'http://10.0.0.1/c' },
      }),
    },
    /cancelRedirectUrl must be an https URL/,
  ],
  [
    'a redirectUrl of another scheme',
    { paymentFlow: flow({ merchantUrls: { redirectUrl: 'ftp://shop.example/return' } }) },
    /redirectUrl must be an https URL/,
  ],
  [
    'enabled and disabled payment modes together',
    {
      paymentFlow: flow({
        paymentModeConfig: { enabledPaymentModes: [{ type: 'CARD' }], disabledPaymentModes: [{ type: 'UPI_QR' }] },
      }),
    },
    /not both/,
  ],
  ['disablePaymentRetry not a boolean', { disablePaymentRetry: 'yes' }, /disablePaymentRetry/],
];

describe('POST /checkout/v2/pay validation (docs/phonepe-protocol.md#checkout-pay)', () => {
  it.each(payCases)('refuses %s with 400 BAD_REQUEST', async (_, overrides, message) => {
    const { status, body } = await caller.post('/checkout/v2/pay', payBody(overrides));
    expect(status).toBe(400);
    expect(body.code).toBe('BAD_REQUEST');
    expect(body.message).toMatch(message);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts|Error:/); // no stack traces
  });

  it('accepts the boundaries and the optional fields', async () => {
    const ok = await caller.post(
      '/checkout/v2/pay',
      payBody({
        merchantOrderId: `A-z_0-9${'x'.repeat(56)}`,
        amount: 100,
        expireAfter: 3600,
        metaInfo: { udf1: 'x y'.repeat(85), udf15: 'a-b_c@.+Z9' },
        disablePaymentRetry: true,
        prefillUserLoginDetails: { phoneNumber: '9999999999' },
        unknownFieldsAreTolerated: true,
        paymentFlow: flow({ message: 'pay me', paymentModeConfig: { enabledPaymentModes: [{ type: 'UPI_INTENT' }] } }),
      }),
    );
    expect(ok.status).toBe(200);
    expect(ok.body.expireAt).toBe(START + 3_600_000);
  });

  it('accepts http return URLs on localhost and 127.0.0.1 only (local development)', async () => {
    for (const redirectUrl of ['http://localhost:3000/return', 'http://127.0.0.1/return?order=1']) {
      expect(
        (await caller.post('/checkout/v2/pay', payBody({ paymentFlow: flow({ merchantUrls: { redirectUrl } }) })))
          .status,
      ).toBe(200);
    }
  });

  it('treats null as "not given", as PhonePe’s Python SDK sends unset fields', async () => {
    const body = {
      ...payBody(),
      expireAfter: null,
      metaInfo: null,
      disablePaymentRetry: null,
      paymentFlow: { ...flow(), message: null, paymentModeConfig: null },
    };
    const result = await caller.post('/checkout/v2/pay', body);
    expect(result.status).toBe(200);
    expect(result.body.expireAt).toBe(START + 600_000);
    expect((await caller.post('/checkout/v2/pay', { ...payBody(), amount: null })).body.message).toMatch(
      /amount is required/,
    );
  });

  it('SDK orders may leave merchantUrls out (the app SDK takes over, docs/phonepe-protocol.md#sdk-order); pay may not', async () => {
    const sdk = await caller.post('/checkout/v2/sdk/order', payBody({ paymentFlow: { type: 'PG_CHECKOUT' } }));
    expect(sdk.status).toBe(200);
    expect(sdk.body.token).toEqual(expect.any(String));
    const pay = await caller.post('/checkout/v2/pay', payBody({ paymentFlow: { type: 'PG_CHECKOUT' } }));
    expect(pay.status).toBe(400);
    expect(pay.body.message).toMatch(/merchantUrls/);
  });

  it('refuses malformed JSON, an empty body and an array', async () => {
    for (const raw of ['{"merchantOrderId":', '', '[1,2]']) {
      const { status, body } = await caller.post('/checkout/v2/pay', raw);
      expect(status).toBe(400);
      expect(body.code).toBe('BAD_REQUEST');
    }
  });

  it('refuses a reused merchantOrderId with 417 INVALID_TRANSACTION_ID (docs/phonepe-protocol.md#checkout-pay)', async () => {
    const body = payBody();
    expect((await caller.post('/checkout/v2/pay', body)).status).toBe(200);
    const again = await caller.post('/checkout/v2/pay', { ...body, amount: 100 });
    expect(again.status).toBe(417);
    expect(again.body).toEqual({
      success: false,
      code: 'INVALID_TRANSACTION_ID',
      message: 'Order ID has already been used',
    });
    // The SDK-order endpoint shares the id space.
    expect((await caller.post('/checkout/v2/sdk/order', body)).status).toBe(417);
  });
});

describe('mandate setup validation (docs/phonepe-protocol.md#autopay-checkout-setup, #autopay-api-setup)', () => {
  const setupCases: [string, Record<string, unknown>, RegExp][] = [
    ['an unknown frequency', { frequency: 'HOURLY' }, /frequency must be one of/],
    ['an unknown authWorkflowType', { authWorkflowType: 'OTP' }, /authWorkflowType/],
    ['an unknown amountType', { amountType: 'ANY' }, /amountType/],
    ['maxAmount above ₹15,000', { maxAmount: 1_500_001 }, /maxAmount must be at most 1500000/],
    ['a bad merchantSubscriptionId', { merchantSubscriptionId: 'no spaces' }, /merchantSubscriptionId/],
    ['a subscription expireAt in the past', { expireAt: START - 1 }, /expireAt must be in the future/],
  ];
  // Checkout setups must say what they are (docs/phonepe-protocol.md#unsettled-product-type).
  const checkoutOnlyCases: [string, Record<string, unknown>, RegExp][] = [
    [
      'a missing productType',
      { productType: undefined },
      /subscriptionDetails.productType is required and must be UPI_MANDATE or ENACH_MANDATE/,
    ],
    ['an unknown productType', { productType: 'CARD_MANDATE' }, /productType is required and must be/],
    [
      'a missing subscriptionType',
      { subscriptionType: undefined },
      /subscriptionDetails.subscriptionType is required and must be RECURRING/,
    ],
    [
      'another subscriptionType',
      { subscriptionType: 'ONE_TIME' },
      /subscriptionType is required and must be RECURRING/,
    ],
  ];

  it.each(checkoutOnlyCases)('checkout family refuses %s', async (_, details, message) => {
    const { status, body } = await caller.post('/checkout/v2/pay', checkoutSetupBody({ subscriptionDetails: details }));
    expect(status).toBe(400);
    expect(body.message).toMatch(message);
  });

  it.each(setupCases)('checkout family refuses %s', async (_, details, message) => {
    const { status, body } = await caller.post('/checkout/v2/pay', checkoutSetupBody({ subscriptionDetails: details }));
    expect(status).toBe(400);
    expect(body.message).toMatch(message);
  });

  it.each(setupCases)('API family refuses %s', async (_, details, message) => {
    const { status, body } = await caller.post('/subscriptions/v2/setup', apiSetupBody(undefined, details));
    expect(status).toBe(400);
    expect(body.message).toMatch(message);
  });

  it('refuses a TRANSACTION first debit above maxAmount and a PENNY_DROP of anything but ₹2', async () => {
    const tooMuch = await caller.post(
      '/checkout/v2/pay',
      checkoutSetupBody({ amount: 100_000, subscriptionDetails: { maxAmount: 99_900 } }),
    );
    expect(tooMuch.body.message).toMatch(/must not exceed maxAmount/);
    for (const amount of [199, 201]) {
      const penny = await caller.post('/subscriptions/v2/setup', {
        ...apiSetupBody(undefined, { authWorkflowType: 'PENNY_DROP' }),
        amount,
      });
      expect(penny.status).toBe(400);
      expect(penny.body.message).toBe(`amount must be exactly 200 paise for a PENNY_DROP mandate (got ${amount})`);
    }
    const checkoutPenny = await caller.post(
      '/checkout/v2/pay',
      checkoutSetupBody({ amount: 300, subscriptionDetails: { authWorkflowType: 'PENNY_DROP' } }),
    );
    expect(checkoutPenny.body.message).toMatch(/exactly 200 paise/);
    expect(
      (
        await caller.post('/subscriptions/v2/setup', {
          ...apiSetupBody(undefined, { authWorkflowType: 'PENNY_DROP' }),
          amount: 200,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await caller.post(
          '/checkout/v2/pay',
          checkoutSetupBody({ amount: 200, subscriptionDetails: { authWorkflowType: 'PENNY_DROP' } }),
        )
      ).status,
    ).toBe(200);
  });

  it('API family: refuses a missing or unknown paymentMode and a collect without a VPA', async () => {
    expect((await caller.post('/subscriptions/v2/setup', apiSetupBody({ type: 'CARD' }))).body.message).toMatch(
      /UPI_INTENT or UPI_COLLECT/,
    );
    expect(
      (await caller.post('/subscriptions/v2/setup', apiSetupBody({ type: 'UPI_COLLECT', details: { type: 'VPA' } })))
        .status,
    ).toBe(400);
    const noType = apiSetupBody();
    (noType.paymentFlow as Record<string, unknown>).type = 'SUBSCRIPTION_CHECKOUT_SETUP';
    expect((await caller.post('/subscriptions/v2/setup', noType)).body.message).toMatch(/SUBSCRIPTION_SETUP/);
  });

  it('refuses a reused merchantSubscriptionId with 417 DUPLICATE_REQUEST_ID', async () => {
    const first = checkoutSetupBody();
    expect((await caller.post('/checkout/v2/pay', first)).status).toBe(200);
    const again = apiSetupBody(undefined, {
      merchantSubscriptionId: first.paymentFlow.subscriptionDetails.merchantSubscriptionId,
    });
    const { status, body } = await caller.post('/subscriptions/v2/setup', again);
    expect(status).toBe(417);
    expect(body).toMatchObject({ success: false, code: 'DUPLICATE_REQUEST_ID' });
  });
});

describe('notify, redeem and refund validation', () => {
  it.each([
    [
      '/subscriptions/v2/notify',
      { merchantOrderId: newId(), amount: 100, paymentFlow: { type: 'SUBSCRIPTION_REDEMPTION' } },
      /merchantSubscriptionId/,
    ],
    [
      '/subscriptions/v2/notify',
      { merchantOrderId: newId(), amount: 100, paymentFlow: { type: 'OTHER', merchantSubscriptionId: 's' } },
      /paymentFlow.type must be/,
    ],
    [
      '/checkout/v2/subscriptions/notify',
      {
        merchantOrderId: newId(),
        amount: 100,
        paymentFlow: {
          type: 'SUBSCRIPTION_CHECKOUT_REDEMPTION',
          merchantSubscriptionId: 's',
          redemptionRetryStrategy: 'SOMETIMES',
        },
      },
      /redemptionRetryStrategy/,
    ],
    ['/subscriptions/v2/redeem', {}, /merchantOrderId/],
    [
      '/payments/v2/refund',
      { merchantRefundId: 'r', originalMerchantOrderId: 'o', amount: 99 },
      /amount must be at least 100/,
    ],
    [
      '/payments/v2/refund',
      { merchantRefundId: 'bad id', originalMerchantOrderId: 'o', amount: 100 },
      /merchantRefundId/,
    ],
  ])('%s refuses an invalid body', async (path, body, message) => {
    const result = await caller.post(path, body);
    expect(result.status).toBe(400);
    expect(result.body.message).toMatch(message);
  });
});
