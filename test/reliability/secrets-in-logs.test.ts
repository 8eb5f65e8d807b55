import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubscriptionManager } from '../../src/billing/subscription-manager.js';
import type { PhonePeClientEvent } from '../../src/client/client-events.js';
import { PhonePeClient } from '../../src/client/phonepe-client.js';
import { createBillingHandler, type BillingAuth } from '../../src/http/index.js';
import { createManualClock } from '../../src/common/clock.js';
import type { BillingStore } from '../../src/storage/billing-store.js';
import { MemoryStore } from '../../src/storage/memory/memory-store.js';
import { createPgStore, migrateToLatest } from '../../src/storage/kysely/index.js';
import { startPhonePeEmulator, type PhonePeEmulator } from '../../src/testing/index.js';
import { computeWebhookAuthorization } from '../../src/webhooks/verify-webhook.js';
import { ApiClient, fetchCaller, type HttpResult } from '../http/support/api-client.js';
import { recordingLogger, type RecordingLogger } from '../http/support/http-harness.js';
import { serveOnNodeHttp } from '../http/support/node-server.js';
import { databaseUrl } from '../support/environment.js';
import { createTempDatabase, type TempDatabase } from '../support/temp-database.js';
import { recordFigures } from './support/figures.js';
import { HOST_PLANS, HOST_RETURN_URL } from './support/host-wiring.js';
import { expectBooksMatchPhonePe } from './support/invariants.js';

// No secret ever reaches a log line, a client event or an API answer, anywhere in the stack. The client's
// own guarantee (msw at the network edge) is test/client/client-events.test.ts; this runs a whole flow
// through the real stack — client, manager, store, handler on node:http, the emulator delivering webhooks
// over HTTP — with recording loggers everywhere, including PhonePe failures, an expired token, a refused
// refresh and refused webhooks, then searches the JSON of every entry for each secret.
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const hex = (n: number) => randomBytes(n).toString('hex');
const CREDENTIALS = {
  clientId: 'SECRETS_CLIENT',
  clientSecret: `cs-${hex(16)}`,
  clientVersion: '1',
  merchantId: 'PGSECRETSTEST',
};
const WEBHOOK = { username: 'hook_user', password: `Pw${hex(8)}9` };
/** The host's session tokens: the API's `Authorization: Bearer …` values (never the user id itself). */
const SESSION = { token: `sess${hex(12)}`, userId: 'u_owner' };
const auth: BillingAuth = {
  authenticate: (request) =>
    request.headers.get('authorization') === `Bearer ${SESSION.token}` ? { userId: SESSION.userId } : null,
  getRole: (userId, workspaceId) => (userId === SESSION.userId && workspaceId.startsWith('ws_') ? 'owner' : null),
};

describe('secrets never reach a log line, an event or an answer', () => {
  const logs: Record<'client' | 'manager' | 'handler' | 'store' | 'emulator', RecordingLogger> = {
    client: recordingLogger(),
    manager: recordingLogger(),
    handler: recordingLogger(),
    store: recordingLogger(),
    emulator: recordingLogger(),
  };
  const events: PhonePeClientEvent[] = [];
  const answers: HttpResult[] = [];
  /** Every access token PhonePe issued, and every Authorization value the client sent (seen on the wire). */
  const wire = { tokens: new Set<string>(), authorizations: new Set<string>() };
  const refusedAuthorizations: string[] = [];
  let emu: PhonePeEmulator;
  let store: BillingStore;
  let temp: TempDatabase | undefined;
  let billing: SubscriptionManager;
  let server: { origin: string; close(): Promise<void> };
  let api: ApiClient;
  const clock = createManualClock(Date.parse('2026-11-01T00:00:00.000Z'));

  const call = async (
    method: string,
    path: string,
    tenant: string | null,
    json?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResult> => {
    const res = await api.send(method, path, {
      as: null,
      tenant,
      headers: { authorization: `Bearer ${SESSION.token}`, ...headers },
      ...(json === undefined ? {} : { json }),
    });
    answers.push(res);
    return res;
  };

  /** The client's fetch, watching the wire (not the logs): what the secrets actually were in this run. */
  const watchingFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const authorization = request.headers.get('authorization');
    if (authorization) wire.authorizations.add(authorization);
    const response = await fetch(request);
    if (new URL(request.url).pathname.endsWith('/v1/oauth/token') && response.ok) {
      const body = (await response.clone().json()) as { access_token?: string };
      if (body.access_token) wire.tokens.add(body.access_token);
    }
    return response;
  };

  beforeAll(async () => {
    let target = '';
    const relay = (async (_input: unknown, init?: RequestInit) => fetch(target, init)) as typeof fetch;
    // Hour-long tokens, so the run sees several tokens, a refresh refused while the old one is valid, and an expired one.
    emu = await startPhonePeEmulator({
      clock,
      tokenTtlSeconds: 3600,
      merchants: [CREDENTIALS],
      logger: logs.emulator,
      webhook: {
        url: 'http://billing-app.test/webhook',
        ...WEBHOOK,
        fetch: relay,
        retry: { retries: 2, delaysMs: [20] },
      },
    });
    if (databaseUrl) {
      temp = await createTempDatabase(databaseUrl);
      const db = new Kysely<any>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: temp.url, max: 1 }) }),
      });
      await migrateToLatest(db);
      await db.destroy();
      store = await createPgStore({ connectionString: temp.url, logger: logs.store });
    } else {
      store = new MemoryStore();
    }
    const { merchantId: _merchant, ...clientCredentials } = CREDENTIALS;
    const client = new PhonePeClient({
      ...clientCredentials,
      env: 'SANDBOX',
      baseUrls: emu.baseUrls,
      clock,
      logger: logs.client,
      onEvent: (e) => events.push(e),
      fetch: watchingFetch,
      retry: { limit: 1 },
      sleep: async () => {},
    });
    billing = new SubscriptionManager({
      client,
      store,
      plans: HOST_PLANS,
      clock,
      logger: logs.manager,
      config: {
        callbackUrl: 'https://api.example.com/v1/payments/callback',
        redirectAllowlist: ['https://app.example.com'],
      },
    });
    await billing.syncPlans();
    server = await serveOnNodeHttp(
      createBillingHandler({ billing, auth, webhook: WEBHOOK, logger: logs.handler, roles: { refund: ['owner'] } }),
    );
    target = `${server.origin}/v1/payments/webhook`;
    api = new ApiClient(fetchCaller(server.origin), '/v1');
  });
  afterAll(async () => {
    await server?.close();
    await emu?.close();
    await store?.close();
    await temp?.drop();
  });

  it('checkout, webhook, refund, renewal, PhonePe failures and refused webhooks: no secret anywhere', async () => {
    // Checkout, paid; PhonePe's webhook settles it.
    const created = await call('POST', '/payments/create', 'ws_secrets', {
      plan_id: 'pro',
      amount: '2999.00',
      return_url: HOST_RETURN_URL,
    });
    expect(created.status, created.text).toBe(200);
    await emu.completeOrder(created.json.order_id);
    await emu.webhooks.idle();
    expect((await call('GET', `/payments/status/${created.json.order_id}`, 'ws_secrets')).json.payment.state).toBe(
      'completed',
    );

    // A refund, settled by its webhooks.
    const refund = await call('POST', `/payments/${created.json.order_id}/refund`, 'ws_secrets', {
      amount: '500.00',
      reason: 'goodwill',
    });
    expect(refund.status, refund.text).toBe(200);
    await emu.completeRefund(refund.json.refund.refund_id);
    await emu.webhooks.idle();

    // An autopay subscription renewed: notice, 24 h, debit, settled by webhook.
    const autopay = await call('POST', '/payments/create', 'ws_secrets_autopay', {
      plan_id: 'starter',
      amount: '999.00',
      return_url: HOST_RETURN_URL,
      autopay: true,
    });
    expect(autopay.status, autopay.text).toBe(200);
    await emu.completeOrder(autopay.json.order_id);
    await emu.webhooks.idle();
    const due = Date.parse(
      (await call('GET', '/subscriptions', 'ws_secrets_autopay')).json.data.subscription.current_period_end,
    );
    await emu.advanceTime(due - 2 * DAY - clock.now()); // past the token's life too: the client fetches new ones
    emu.faults.add({
      method: 'POST',
      path: '/checkout/v2/subscriptions/notify',
      status: 503,
      body: { code: 'SERVICE_UNAVAILABLE' },
      times: 1,
    });
    expect((await billing.runRenewals()).summary.error, 'a renewal step failed (and was logged)').toBe(1);
    await emu.advanceTime(6 * MINUTE);
    expect((await billing.runRenewals()).summary.notified).toBe(1);
    await emu.advanceTime(20 * MINUTE);
    await emu.webhooks.idle();
    await emu.advanceTime(due - clock.now());
    await billing.runRenewals();
    const debit = (
      await store.transaction({ workspaceId: 'ws_secrets_autopay' }, (tx) =>
        tx.payments.listByWorkspace('ws_secrets_autopay', { limit: 10 }),
      )
    ).find((p) => p.purpose === 'renewal')!;
    await emu.completeOrder(debit.merchantOrderId);
    await emu.webhooks.idle();
    expect(
      (await call('GET', '/subscriptions', 'ws_secrets_autopay')).json.data.subscription.current_period_start,
    ).toBe(new Date(due).toISOString());

    // PhonePe failing: a 500 on create, an unreadable status answer, a dropped connection, a refused token refresh.
    emu.faults.add({
      method: 'POST',
      path: '/checkout/v2/pay',
      status: 500,
      body: { code: 'INTERNAL_SERVER_ERROR', message: 'boom' },
      times: 1,
    });
    const failed = await call('POST', '/payments/create', 'ws_secrets_fail', {
      plan_id: 'pro',
      amount: '2999.00',
      return_url: HOST_RETURN_URL,
    });
    expect(failed.status).toBe(503);
    const open = await call('POST', '/payments/create', 'ws_secrets_open', {
      plan_id: 'pro',
      amount: '2999.00',
      return_url: HOST_RETURN_URL,
    });
    emu.faults.add({ path: '/checkout/v2/order/*/status', status: 200, body: '{"state":', times: 2 });
    expect((await call('GET', `/payments/status/${open.json.order_id}`, 'ws_secrets_open')).json.stale).toBe(true);
    emu.faults.add({ path: '/checkout/v2/order/*/status', dropConnection: true, times: 2 });
    expect((await call('GET', `/payments/status/${open.json.order_id}`, 'ws_secrets_open')).json.stale).toBe(true);
    // Past half the token's life a refresh is due (the expiry webhook of the open order asks first), and
    // PhonePe refuses it: the previous token, still valid, is kept.
    emu.faults.add({
      path: '/v1/oauth/token',
      status: 401,
      body: { code: 'UNAUTHORIZED', message: 'bad client' },
      times: 2,
    });
    await emu.advanceTime(40 * MINUTE);
    await emu.webhooks.idle();
    const late = await call('POST', '/payments/create', 'ws_secrets_late', {
      plan_id: 'pro',
      amount: '2999.00',
      return_url: HOST_RETURN_URL,
    });
    expect(late.status, 'the previous token is kept while it is valid').toBe(200);
    await emu.advanceTime(2 * 60 * MINUTE); // the token expired: the refresh fails for good
    emu.faults.add({ path: '/v1/oauth/token', status: 401, body: { code: 'UNAUTHORIZED' }, times: 4 });
    const noToken = await call('GET', `/payments/status/${late.json.order_id}`, 'ws_secrets_late');
    expect(noToken.status).toBe(200);
    expect(noToken.json.stale).toBe(true);
    expect(events.filter((e) => e.type === 'token').map((e) => e.tokenOutcome)).toEqual(
      expect.arrayContaining(['fetched', 'kept-previous', 'failed']),
    );
    emu.faults.clear();

    // Refused webhooks: a wrong digest, the password itself as the header, none; and a member route with a bad session.
    const body = emu.webhooks.deliveries.find((d) => d.event === 'checkout.order.completed')!.body;
    for (const authorization of [
      await computeWebhookAuthorization({ username: WEBHOOK.username, password: 'wrong-password1' }),
      WEBHOOK.password,
      `${WEBHOOK.username}:${WEBHOOK.password}`,
      `Basic ${btoa(`${WEBHOOK.username}:${WEBHOOK.password}`)}`,
    ]) {
      refusedAuthorizations.push(authorization);
      const refused = await api.send('POST', '/payments/webhook', {
        as: null,
        body,
        headers: { 'content-type': 'application/json', authorization },
      });
      answers.push(refused);
      expect(refused.status).toBe(401);
    }
    const anonymous = await api.send('POST', '/payments/webhook', {
      as: null,
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(anonymous.status).toBe(401);
    const badSession = await api.send('GET', '/subscriptions', {
      as: null,
      tenant: 'ws_secrets',
      headers: { authorization: `Bearer ${SESSION.token}x` },
    });
    expect(badSession.status).toBe(401);
    refusedAuthorizations.push(`Bearer ${SESSION.token}x`);

    await expectBooksMatchPhonePe({ store, emu }, [
      'ws_secrets',
      'ws_secrets_autopay',
      'ws_secrets_fail',
      'ws_secrets_open',
      'ws_secrets_late',
    ]);

    // What the secrets were in this run (taken from the wire), and where to look for them.
    expect(wire.tokens.size, 'the client fetched several tokens').toBeGreaterThanOrEqual(2);
    const secrets: Record<string, string> = {
      'client secret': CREDENTIALS.clientSecret,
      'webhook password': WEBHOOK.password,
      "PhonePe's webhook Authorization": await computeWebhookAuthorization(WEBHOOK),
      'session token': SESSION.token,
    };
    [...wire.tokens].forEach((token, i) => (secrets[`access token ${i + 1}`] = token));
    [...wire.authorizations].forEach((value, i) => (secrets[`client Authorization ${i + 1}`] = value));
    refusedAuthorizations.forEach((value, i) => (secrets[`refused Authorization ${i + 1}`] = value));
    const places: Record<string, string> = {
      ...Object.fromEntries(
        Object.entries(logs).map(([name, logger]) => [`${name} log`, JSON.stringify(logger.entries)]),
      ),
      'client events': JSON.stringify(events),
      'API answers': JSON.stringify(
        answers.map((a) => ({ status: a.status, headers: Object.fromEntries(a.headers), body: a.text })),
      ),
    };
    const leaks: string[] = [];
    for (const [place, haystack] of Object.entries(places)) {
      for (const [name, secret] of Object.entries(secrets)) {
        // The whole value, and a 12-character slice of its middle (a truncated or partly masked copy).
        const middle = secret.slice(Math.max(0, Math.floor(secret.length / 2) - 6), Math.floor(secret.length / 2) + 6);
        if (haystack.includes(secret) || (middle.length === 12 && haystack.includes(middle)))
          leaks.push(`${name} in the ${place}`);
      }
    }
    expect(leaks).toEqual([]);

    // The search had something to search: every logger and the event stream saw the flow.
    const entries = Object.fromEntries(Object.entries(logs).map(([name, logger]) => [name, logger.entries.length]));
    expect(entries.client, 'the client logs each attempt').toBeGreaterThan(20);
    expect(entries.handler, 'the handler logged webhooks and refusals').toBeGreaterThan(5);
    expect(entries.manager, 'the manager logged the failed renewal step').toBeGreaterThan(0);
    expect(logs.handler.entries.some((e) => e.msg === 'PhonePe webhook refused')).toBe(true);
    expect(logs.client.entries.some((e) => e.level === 'warn')).toBe(true);
    expect(events.filter((e) => e.type === 'token').length).toBeGreaterThanOrEqual(3);
    recordFigures('secrets-in-logs', {
      logEntries: entries,
      clientEvents: events.length,
      apiAnswers: answers.length,
      secretsSearched: Object.keys(secrets).length,
      placesSearched: Object.keys(places).length,
      leaks: leaks.length,
    });
  });
});
