import { describe, expect, it } from 'vitest';
import { SubscriptionManager } from '../../src/billing/subscription-manager.js';
import { PhonePeClient } from '../../src/client/phonepe-client.js';
import { createMetricsHandler } from '../../src/http/create-metrics-handler.js';
import type { BillingStore } from '../../src/storage/billing-store.js';
import { MemoryStore } from '../../src/storage/memory/memory-store.js';
import { parseExposition } from '../support/prometheus-exposition.js';

const TOKEN = 'scrape-token-1';

function manager(options: { metrics?: boolean; store?: BillingStore } = {}): SubscriptionManager {
  return new SubscriptionManager({
    client: new PhonePeClient({
      clientId: 'x',
      clientSecret: 'y',
      clientVersion: '1',
      env: 'SANDBOX',
      baseUrls: { pg: 'http://127.0.0.1:9/pg', oauth: 'http://127.0.0.1:9/oauth' },
    }),
    store: new MemoryStore(),
    plans: [{ id: 'pro', name: 'Pro', price: 299_900, interval: 'month', limits: { projects: 5 } }],
    config: {
      callbackUrl: 'https://api.example.com/v1/payments/callback',
      redirectAllowlist: ['https://app.example.com'],
    },
    ...options,
  });
}

const bearer = (request: Request) => request.headers.get('authorization') === `Bearer ${TOKEN}`;
const scrape = (headers: Record<string, string> = {}, method = 'GET') =>
  new Request('https://api.example.com/metrics', { method, headers });

describe('createMetricsHandler', () => {
  it('serves the text format 0.0.4 to an authorized scrape', async () => {
    const handler = createMetricsHandler(manager(), { authorize: bearer });
    const response = await handler(scrape({ authorization: `Bearer ${TOKEN}` }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const parsed = parseExposition(await response.text());
    expect(parsed.value('billing_store_up')).toBe(1);
    expect(parsed.families.map((f) => f.name)).toContain('billing_gateway_calls_total');
  });

  it('refuses without authorization: 401 without credentials, 403 with wrong ones, 403 with no authorize at all', async () => {
    const handler = createMetricsHandler(manager(), { authorize: bearer });
    const anonymous = await handler(scrape());
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await anonymous.text()).not.toContain('billing_');
    const wrong = await handler(scrape({ authorization: 'Bearer guessed' }));
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).not.toContain('billing_');
    const unconfigured = await createMetricsHandler(manager())(scrape({ authorization: `Bearer ${TOKEN}` }));
    expect(unconfigured.status).toBe(403);
    expect(await unconfigured.text()).toMatch(/no authorize/);
  });

  it('an authorize function that throws refuses with 500 and leaks nothing', async () => {
    const handler = createMetricsHandler(manager(), {
      authorize: () => {
        throw new Error('session store down');
      },
    });
    const response = await handler(scrape({ authorization: `Bearer ${TOKEN}` }));
    expect(response.status).toBe(500);
    expect(await response.text()).not.toMatch(/billing_|session store/);
  });

  it('answers HEAD without a body, other methods with 405', async () => {
    const handler = createMetricsHandler(manager(), { authorize: async () => true });
    const head = await handler(scrape({}, 'HEAD'));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await handler(scrape({}, 'POST'));
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('a database that does not answer still lets the scrape succeed, with billing_store_up 0', async () => {
    const memory = new MemoryStore();
    const down = new Proxy(memory, {
      get: (target, property) =>
        property === 'transaction'
          ? () => Promise.reject(new Error('connection refused'))
          : Reflect.get(target, property, target),
    });
    const response = await createMetricsHandler(manager({ store: down }), { authorize: () => true })(scrape());
    expect(response.status).toBe(200);
    const parsed = parseExposition(await response.text());
    expect(parsed.value('billing_store_up')).toBe(0);
    expect(parsed.series('billing_open_payments')).toEqual([]);
    expect(parsed.families.map((f) => f.name)).toContain('billing_gateway_calls_total');
  });

  it('a database that hangs does not hang the scrape: it answers within the scrape timeout, with billing_store_up 0', {
    timeout: 20_000,
  }, async () => {
    const memory = new MemoryStore();
    const hung = new Proxy(memory, {
      get: (target, property) =>
        property === 'transaction' ? () => new Promise(() => {}) : Reflect.get(target, property, target),
    });
    const handler = createMetricsHandler(manager({ store: hung }), { authorize: () => true });
    const started = Date.now();
    const response = await Promise.race([
      handler(scrape()),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 9_000).unref()),
    ]);
    // Prometheus gives up on a scrape after 10 s (scrape_timeout): the answer must come before that.
    expect(response).not.toBeNull();
    expect(Date.now() - started).toBeLessThan(9_000);
    const parsed = parseExposition(await response!.text());
    expect(parsed.value('billing_store_up')).toBe(0);
    expect(parsed.families.map((f) => f.name)).toContain('billing_gateway_calls_total');
  });

  it('answers 404 for a manager built with metrics: false', async () => {
    const response = await createMetricsHandler(manager({ metrics: false }), { authorize: () => true })(scrape());
    expect(response.status).toBe(404);
    expect(await response.text()).toMatch(/metrics: false/);
  });
});
