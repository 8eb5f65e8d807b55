import { afterAll, beforeAll } from 'vitest';
import { createTestAuthorization } from '../../../src/webhooks/verify-webhook.js';
import type { ApiClient, HttpResult } from './api-client.js';
import { createHttpHarness, RETURN_URL, WEBHOOK, type HttpHarness, type HttpHarnessOptions } from './http-harness.js';

/** The billing API mounted somewhere (bare handler, Express, Fastify, Hono), ready to call. */
export interface MountedApi {
  api: ApiClient;
  close(): Promise<void>;
}

/** Mounts the billing routes built from `h.options()` and returns a client for them. */
export type Mount = (h: HttpHarness) => Promise<MountedApi>;

/** A harness plus the mounted API, started before the enclosing describe's tests and closed after. */
export function useMountedApi(
  mount: Mount,
  options: HttpHarnessOptions = {},
): { readonly h: HttpHarness; readonly api: ApiClient } {
  let h: HttpHarness | undefined;
  let mounted: MountedApi | undefined;
  beforeAll(async () => {
    h = await createHttpHarness(options);
    mounted = await mount(h);
  });
  afterAll(async () => {
    await mounted?.close();
    await h?.close();
  });
  return {
    get h() {
      return h as HttpHarness;
    },
    get api() {
      return (mounted as MountedApi).api;
    },
  };
}

/** `POST /payments/create` for `plan` as the workspace owner; fails the test unless it is 200. */
export async function createPayment(
  api: ApiClient,
  tenant: string,
  plan = 'pro',
  amount = '2999.00',
  extra: Record<string, unknown> = {},
): Promise<HttpResult> {
  const res = await api.post('/payments/create', {
    tenant,
    json: { plan_id: plan, amount, return_url: RETURN_URL, ...extra },
  });
  if (res.status !== 200) throw new Error(`create payment failed: ${res.status} ${res.text}`);
  return res;
}

/** The exact body the emulator sent (or would have sent) for `orderId`'s latest `event`. */
export function emulatorWebhookBody(h: HttpHarness, orderId: string, event = 'checkout.order.completed'): string {
  const delivery = h.emu.webhooks.deliveries.filter((d) => d.event === event && d.body.includes(orderId)).at(-1);
  if (!delivery) throw new Error(`the emulator sent no ${event} webhook for ${orderId}`);
  return delivery.body;
}

/** PhonePe's Authorization header for the harness's webhook credentials. */
export function webhookAuthorization(): Promise<string> {
  return createTestAuthorization(WEBHOOK.username, WEBHOOK.password);
}

/** POSTs a webhook body to the mounted route with PhonePe's real Authorization header. */
export async function postWebhook(
  api: ApiClient,
  body: string,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  return api.post('/payments/webhook', {
    as: null,
    body,
    headers: { 'content-type': 'application/json', authorization: await webhookAuthorization(), ...headers },
  });
}

/** Pays `orderId` at the emulator and delivers the completion webhook (pretty-printed, as some proxies re-indent). */
export async function payAndDeliver(h: HttpHarness, api: ApiClient, orderId: string): Promise<HttpResult> {
  await h.emu.completeOrder(orderId);
  const pretty = JSON.stringify(JSON.parse(emulatorWebhookBody(h, orderId)), null, 2);
  return postWebhook(api, pretty);
}

/** A workspace with an active `plan` subscription, paid through the routes. Returns the order id. */
export async function subscribe(
  h: HttpHarness,
  api: ApiClient,
  tenant: string,
  plan = 'pro',
  amount = '2999.00',
): Promise<string> {
  const created = await createPayment(api, tenant, plan, amount);
  const delivered = await payAndDeliver(h, api, created.json.order_id);
  if (delivered.status !== 200) throw new Error(`webhook failed: ${delivered.status} ${delivered.text}`);
  return created.json.order_id as string;
}
