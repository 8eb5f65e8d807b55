import { defaultEmulatorMerchant } from '../../../src/testing/index.js';

interface Target {
  baseUrls: { pg: string; oauth: string };
}

export interface CallResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/**
 * A deliberately plain PhonePe caller written from docs/phonepe-protocol.md (not our client), so the
 * emulator's tests do not share a bug with src/client.
 */
export function phonePeCaller(
  emu: Target,
  merchant: { clientId: string; clientSecret: string; clientVersion: string } = defaultEmulatorMerchant,
  { refreshOn401 = true }: { refreshOn401?: boolean } = {},
) {
  let accessToken: string | undefined;
  async function fetchToken(): Promise<CallResult> {
    const response = await fetch(`${emu.baseUrls.oauth}/v1/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        client_id: merchant.clientId,
        client_version: merchant.clientVersion,
        client_secret: merchant.clientSecret,
        grant_type: 'client_credentials',
      }),
    });
    return read(response);
  }
  async function token(): Promise<string> {
    if (!accessToken) {
      const result = await fetchToken();
      if (result.status !== 200) throw new Error(`token call failed: ${result.status} ${result.text}`);
      accessToken = result.body.access_token;
    }
    return accessToken!;
  }
  async function call(method: string, path: string, body?: unknown, retried = false): Promise<CallResult> {
    const response = await fetch(`${emu.baseUrls.pg}${path}`, {
      method,
      headers: { authorization: `O-Bearer ${await token()}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    // Like PhonePe's Node SDK 2.0.6: on 401, fetch a new token and retry once (docs/phonepe-protocol.md#oauth).
    if (response.status === 401 && refreshOn401 && !retried) {
      accessToken = undefined;
      return call(method, path, body, true);
    }
    return read(response);
  }
  return {
    fetchToken,
    token,
    forgetToken: () => (accessToken = undefined),
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown) => call('POST', path, body),
  };
}

export async function read(response: Response): Promise<CallResult> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

let sequence = 0;
/** A fresh merchant-side id. */
export const newId = (prefix = 'ord') => `${prefix}_${Date.now().toString(36)}_${(sequence += 1)}`;

/** A valid `/checkout/v2/pay` body. */
export function payBody(overrides: Record<string, unknown> = {}, redirectUrl = 'https://shop.example/return') {
  return {
    merchantOrderId: newId(),
    amount: 299_900,
    paymentFlow: { type: 'PG_CHECKOUT', merchantUrls: { redirectUrl } },
    ...overrides,
  };
}

/** A valid SUBSCRIPTION_CHECKOUT_SETUP pay body (docs/phonepe-protocol.md#autopay-checkout-setup). */
export function checkoutSetupBody(
  overrides: { subscriptionDetails?: Record<string, unknown>; [k: string]: unknown } = {},
  urls: Record<string, string> = { redirectUrl: 'https://shop.example/return' },
) {
  const { subscriptionDetails, ...rest } = overrides;
  return {
    merchantOrderId: newId('setup'),
    amount: 49_900,
    paymentFlow: {
      type: 'SUBSCRIPTION_CHECKOUT_SETUP',
      merchantUrls: urls,
      subscriptionDetails: {
        subscriptionType: 'RECURRING',
        merchantSubscriptionId: newId('sub'),
        authWorkflowType: 'TRANSACTION',
        amountType: 'VARIABLE',
        maxAmount: 99_900,
        frequency: 'MONTHLY',
        productType: 'UPI_MANDATE',
        ...subscriptionDetails,
      },
    },
    ...rest,
  };
}

/** A valid `/subscriptions/v2/setup` body (docs/phonepe-protocol.md#autopay-api-setup). */
export function apiSetupBody(
  paymentMode: Record<string, unknown> = { type: 'UPI_INTENT', targetApp: 'com.phonepe.app' },
  flow: Record<string, unknown> = {},
) {
  return {
    merchantOrderId: newId('setup'),
    amount: 49_900,
    deviceContext: { deviceOS: 'ANDROID' },
    paymentFlow: {
      type: 'SUBSCRIPTION_SETUP',
      merchantSubscriptionId: newId('sub'),
      authWorkflowType: 'TRANSACTION',
      amountType: 'FIXED',
      maxAmount: 49_900,
      frequency: 'MONTHLY',
      paymentMode,
      ...flow,
    },
  };
}
