import { beforeEach, describe, expect, it } from 'vitest';
import { isPhonePeValidationError, type PayRequest, PhonePeValidationError } from '../../src/client/index.js';
import { HttpResponse } from 'msw';
import { capture, createHarness, SANDBOX, tokenEndpoint, useMswServer } from './support/fake-phonepe.js';

// No handlers (except in the last test): with onUnhandledRequest 'error' any request fails,
// and we count them too.
const server = useMswServer();
let requests = 0;
server.events.on('request:start', () => {
  requests += 1;
});
beforeEach(() => {
  requests = 0;
});

const validPay: PayRequest = {
  merchantOrderId: 'ord_1',
  amount: 49900,
  paymentFlow: { type: 'PG_CHECKOUT', merchantUrls: { redirectUrl: 'https://app.example.com/return' } },
};
const checkoutSetup = {
  merchantOrderId: 'setup_1',
  amount: 49900,
  paymentFlow: {
    type: 'SUBSCRIPTION_CHECKOUT_SETUP' as const,
    merchantUrls: { redirectUrl: 'https://app.example.com/return' },
    subscriptionDetails: {
      merchantSubscriptionId: 'sub_1',
      authWorkflowType: 'TRANSACTION' as const,
      amountType: 'FIXED' as const,
      maxAmount: 49900,
      frequency: 'MONTHLY' as const,
      subscriptionType: 'RECURRING' as const,
      productType: 'UPI_MANDATE' as const,
    },
  },
};
const apiSetup = {
  merchantOrderId: 'setup_2',
  amount: 49900,
  paymentFlow: {
    type: 'SUBSCRIPTION_SETUP' as const,
    merchantSubscriptionId: 'sub_2',
    authWorkflowType: 'TRANSACTION' as const,
    amountType: 'FIXED' as const,
    maxAmount: 49900,
    frequency: 'MONTHLY' as const,
    paymentMode: { type: 'UPI_INTENT' as const },
  },
};

function withPay(patch: Record<string, unknown>, flowPatch: Record<string, unknown> = {}): PayRequest {
  return { ...validPay, ...patch, paymentFlow: { ...validPay.paymentFlow, ...flowPatch } } as PayRequest;
}
function withMandate(patch: Record<string, unknown>) {
  return {
    ...checkoutSetup,
    paymentFlow: {
      ...checkoutSetup.paymentFlow,
      subscriptionDetails: { ...checkoutSetup.paymentFlow.subscriptionDetails, ...patch },
    },
  };
}

function withoutDetail(key: 'productType' | 'subscriptionType') {
  const { [key]: _dropped, ...details } = checkoutSetup.paymentFlow.subscriptionDetails;
  return {
    ...checkoutSetup,
    paymentFlow: { ...checkoutSetup.paymentFlow, subscriptionDetails: details },
  } as unknown as typeof checkoutSetup;
}

type Call = (client: ReturnType<typeof createHarness>['client']) => Promise<unknown>;
const cases: Array<[string, string, Call]> = [
  ['merchantOrderId too long', 'merchantOrderId', (c) => c.pay(withPay({ merchantOrderId: 'a'.repeat(64) }))],
  ['merchantOrderId with a slash', 'merchantOrderId', (c) => c.pay(withPay({ merchantOrderId: 'ord/1' }))],
  ['merchantOrderId missing', 'merchantOrderId', (c) => c.pay(withPay({ merchantOrderId: undefined }))],
  ['amount below 100 paise', 'amount', (c) => c.pay(withPay({ amount: 99 }))],
  ['amount as a float', 'amount', (c) => c.pay(withPay({ amount: 100.5 }))],
  ['amount beyond safe integers', 'amount', (c) => c.pay(withPay({ amount: 2 ** 53 }))],
  ['amount as a string', 'amount', (c) => c.pay(withPay({ amount: '49900' }))],
  ['expireAfter below 300', 'expireAfter', (c) => c.pay(withPay({ expireAfter: 299 }))],
  ['expireAfter above 3600', 'expireAfter', (c) => c.pay(withPay({ expireAfter: 3601 }))],
  ['expireAfter not whole', 'expireAfter', (c) => c.pay(withPay({ expireAfter: 600.5 }))],
  ['metaInfo with an unknown key', 'metaInfo.customerId', (c) => c.pay(withPay({ metaInfo: { customerId: 'x' } }))],
  ['udf1 over 256 chars', 'metaInfo.udf1', (c) => c.pay(withPay({ metaInfo: { udf1: 'x'.repeat(257) } }))],
  ['udf12 over 50 chars', 'metaInfo.udf12', (c) => c.pay(withPay({ metaInfo: { udf12: 'x'.repeat(51) } }))],
  ['udf15 with a forbidden character', 'metaInfo.udf15', (c) => c.pay(withPay({ metaInfo: { udf15: 'a/b' } }))],
  [
    'redirectUrl relative',
    'paymentFlow.merchantUrls.redirectUrl',
    (c) => c.pay(withPay({}, { merchantUrls: { redirectUrl: '/return' } })),
  ],
  [
    'redirectUrl not http(s)',
    'paymentFlow.merchantUrls.redirectUrl',
    (c) => c.pay(withPay({}, { merchantUrls: { redirectUrl: 'javascript:alert(1)' } })),
  ],
  ['wrong paymentFlow.type for pay', 'paymentFlow.type', (c) => c.pay(withPay({}, { type: 'PG' }))],
  [
    'both enabled and disabled payment modes',
    'paymentFlow.paymentModeConfig.disabledPaymentModes',
    (c) =>
      c.pay(
        withPay(
          {},
          {
            paymentModeConfig: { enabledPaymentModes: [{ type: 'UPI_QR' }], disabledPaymentModes: [{ type: 'CARD' }] },
          },
        ),
      ),
  ],
  [
    'refund amount below 100',
    'amount',
    (c) => c.refund({ merchantRefundId: 'rf_1', originalMerchantOrderId: 'ord_1', amount: 50 }),
  ],
  [
    'refund id with spaces',
    'merchantRefundId',
    (c) => c.refund({ merchantRefundId: 'rf 1', originalMerchantOrderId: 'ord_1', amount: 100 }),
  ],
  ['order status id in a path', 'merchantOrderId', (c) => c.getOrderStatus('../refund')],
  ['transaction id empty', 'transactionId', (c) => c.getTransactionStatus('')],
  ['refund status id too long', 'merchantRefundId', (c) => c.getRefundStatus('r'.repeat(64))],
  ['subscription id with a dot', 'merchantSubscriptionId', (c) => c.subscriptions.getStatus('sub.1')],
  ['cancel id with a slash', 'merchantSubscriptionId', (c) => c.subscriptions.cancel('sub/1')],
  ['redeem id missing', 'merchantOrderId', (c) => c.subscriptions.executeRedemption(undefined as unknown as string)],
  [
    'unknown family',
    'options.family',
    (c) => c.subscriptions.getRedemptionStatus('cycle_1', { family: 'legacy' as 'api' }),
  ],
  [
    'maxAmount below amount',
    'paymentFlow.subscriptionDetails.maxAmount',
    (c) => c.subscriptions.setup(withMandate({ maxAmount: 10000 })),
  ],
  [
    'subscriptionType not RECURRING',
    'paymentFlow.subscriptionDetails.subscriptionType',
    (c) => c.subscriptions.setup(withMandate({ subscriptionType: 'ONE_TIME' }) as typeof checkoutSetup),
  ],
  [
    'unknown frequency',
    'paymentFlow.subscriptionDetails.frequency',
    (c) => c.subscriptions.setup(withMandate({ frequency: 'QUATERLY' }) as typeof checkoutSetup),
  ],
  [
    'unknown authWorkflowType',
    'paymentFlow.subscriptionDetails.authWorkflowType',
    (c) => c.subscriptions.setup(withMandate({ authWorkflowType: 'OTP' }) as typeof checkoutSetup),
  ],
  [
    'unknown amountType',
    'paymentFlow.subscriptionDetails.amountType',
    (c) => c.subscriptions.setup(withMandate({ amountType: 'ANY' }) as typeof checkoutSetup),
  ],
  [
    'unknown productType',
    'paymentFlow.subscriptionDetails.productType',
    (c) => c.subscriptions.setup(withMandate({ productType: 'CARD_MANDATE' }) as typeof checkoutSetup),
  ],
  [
    'PENNY_DROP other than 200 paise',
    'amount',
    (c) =>
      c.subscriptions.setup({
        ...apiSetup,
        amount: 300,
        paymentFlow: { ...apiSetup.paymentFlow, authWorkflowType: 'PENNY_DROP', maxAmount: 300 },
      }),
  ],
  [
    'productType missing',
    'paymentFlow.subscriptionDetails.productType',
    (c) => c.subscriptions.setup(withoutDetail('productType')),
  ],
  [
    'subscriptionType missing',
    'paymentFlow.subscriptionDetails.subscriptionType',
    (c) => c.subscriptions.setup(withoutDetail('subscriptionType')),
  ],
  [
    'redirectUrl over http to another host',
    'paymentFlow.merchantUrls.redirectUrl',
    (c) =>
      c.pay({
        merchantOrderId: 'o1',
        amount: 100,
        paymentFlow: { type: 'PG_CHECKOUT', merchantUrls: { redirectUrl: 'http://app.example.com/r' } },
      }),
  ],
  [
    'udf11 with a space',
    'metaInfo.udf11',
    (c) =>
      c.pay({
        merchantOrderId: 'o1',
        amount: 100,
        metaInfo: { udf11: 'a b' },
        paymentFlow: { type: 'PG_CHECKOUT', merchantUrls: { redirectUrl: 'https://app.example.com/r' } },
      }),
  ],
  [
    'notify of 0 paise',
    'amount',
    (c) =>
      c.subscriptions.notifyRedemption({
        merchantOrderId: 'n1',
        amount: 0,
        paymentFlow: { merchantSubscriptionId: 'sub_1' },
      }),
  ],
  [
    'PENNY_DROP below 200 paise',
    'amount',
    (c) =>
      c.subscriptions.setup({
        ...apiSetup,
        amount: 150,
        paymentFlow: { ...apiSetup.paymentFlow, authWorkflowType: 'PENNY_DROP' },
      }),
  ],
  [
    'API setup maxAmount below amount',
    'paymentFlow.maxAmount',
    (c) => c.subscriptions.setup({ ...apiSetup, paymentFlow: { ...apiSetup.paymentFlow, maxAmount: 100 } }),
  ],
  [
    'API setup unknown paymentMode',
    'paymentFlow.paymentMode.type',
    (c) =>
      c.subscriptions.setup({
        ...apiSetup,
        paymentFlow: { ...apiSetup.paymentFlow, paymentMode: { type: 'CARD' } },
      } as unknown as typeof apiSetup),
  ],
  ['API setup expireAt in seconds-ish float', 'expireAt', (c) => c.subscriptions.setup({ ...apiSetup, expireAt: 1.5 })],
  [
    'setup without a known flow type',
    'paymentFlow.type',
    (c) =>
      c.subscriptions.setup({
        ...apiSetup,
        paymentFlow: { ...apiSetup.paymentFlow, type: 'PG_CHECKOUT' },
      } as unknown as typeof apiSetup),
  ],
  [
    'notify with unknown retry strategy',
    'paymentFlow.redemptionRetryStrategy',
    (c) =>
      c.subscriptions.notifyRedemption({
        merchantOrderId: 'c_1',
        amount: 100,
        paymentFlow: { merchantSubscriptionId: 'sub_1', redemptionRetryStrategy: 'AGGRESSIVE' as 'CUSTOM' },
      }),
  ],
  [
    'notify with unknown flow type',
    'paymentFlow.type',
    (c) =>
      c.subscriptions.notifyRedemption({
        merchantOrderId: 'c_1',
        amount: 100,
        paymentFlow: { type: 'PG_CHECKOUT' as 'SUBSCRIPTION_REDEMPTION', merchantSubscriptionId: 'sub_1' },
      }),
  ],
  [
    'notify without subscription id',
    'paymentFlow.merchantSubscriptionId',
    (c) =>
      c.subscriptions.notifyRedemption({
        merchantOrderId: 'c_1',
        amount: 100,
        paymentFlow: {} as { merchantSubscriptionId: string },
      }),
  ],
  [
    'sdk order with float amount',
    'amount',
    (c) => c.createSdkOrder({ merchantOrderId: 'o', amount: 1.25, paymentFlow: {} }),
  ],
];

describe('request validation (nothing is sent when a request is invalid)', () => {
  it.each(cases)('%s -> PhonePeValidationError on %s', async (_name, field, call) => {
    const { client } = createHarness();

    const error = await call(client).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PhonePeValidationError);
    expect(isPhonePeValidationError(error)).toBe(true);
    expect((error as PhonePeValidationError).field).toBe(field);
    expect((error as PhonePeValidationError).code).toBe('VALIDATION_FAILED');
    expect((error as Error).message).toContain(field === '' ? 'the request' : field);
    expect(requests).toBe(0);
  });

  it('says what is wrong in one sentence', async () => {
    const { client } = createHarness();

    const error = await client.pay(withPay({ amount: 99 })).catch((e: unknown) => e);

    expect((error as Error).message).toBe(
      'PhonePe pay was not sent: amount must be at least 100 paise. Fix it and call again.',
    );
  });

  it('accepts the edges: 63-char ids, 100 paise, expireAfter 300 and 3600, 15 udfs', async () => {
    const { client, clock } = createHarness();
    const pay = capture('post', `${SANDBOX}/checkout/v2/pay`, () =>
      HttpResponse.json({ orderId: 'O', state: 'PENDING', redirectUrl: 'https://x.example/p' }),
    );
    server.use(tokenEndpoint(clock).handler, pay.handler);
    const metaInfo = Object.fromEntries(
      Array.from({ length: 15 }, (_, i) => [`udf${i + 1}`, i < 10 ? 'x'.repeat(256) : 'a-b_c@.+'.padEnd(50, 'z')]),
    );

    await client.pay(withPay({ merchantOrderId: 'A'.repeat(63), amount: 100, expireAfter: 300, metaInfo }));
    await client.pay(withPay({ expireAfter: 3600 }));

    expect(pay.calls).toHaveLength(2);
    expect(JSON.parse(pay.calls[0]?.body ?? '').metaInfo).toEqual(metaInfo);
  });
});
