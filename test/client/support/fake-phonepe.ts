// msw at the network edge of PhonePeClient tests: a token endpoint, request capture and a
// client wired to a manual clock, recorded sleeps, captured logs and events.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { PhonePeClient, type PhonePeClientEvent, type PhonePeClientOptions } from '../../../src/client/index.js';
import { createManualClock, type ManualClock } from '../../../src/common/clock.js';
import type { Logger } from '../../../src/common/logger.js';

export const SANDBOX = 'https://api-preprod.phonepe.com/apis/pg-sandbox';
export const CLIENT_SECRET = 'client-secret-9f2c-DO-NOT-LEAK';
export const CREDENTIALS = { clientId: 'TESTMERCHANT_UAT', clientSecret: CLIENT_SECRET, clientVersion: '1' } as const;
export const T0 = Date.parse('2026-01-01T00:00:00Z');

/** Starts one msw server for the file; any request without a handler fails the test. */
export function useMswServer(): ReturnType<typeof setupServer> {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** A request as it arrived at the fake PhonePe. */
export interface CapturedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

/** A handler that records each request before answering it. */
export function capture(
  method: 'get' | 'post',
  url: string,
  respond: (request: CapturedRequest, index: number) => Response | Promise<Response>,
) {
  const calls: CapturedRequest[] = [];
  const handler = http[method](url, async ({ request }) => {
    const captured = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: await request.text(),
    };
    calls.push(captured);
    return respond(captured, calls.length - 1);
  });
  return { handler, calls };
}

/** The OAuth endpoint: issues `${prefix}-1`, `${prefix}-2`… valid for `lifetimeS` from the clock's now. */
export function tokenEndpoint(
  clock: ManualClock,
  options: { host?: string; prefix?: string; lifetimeS?: number } = {},
) {
  const issued: string[] = [];
  const prefix = options.prefix ?? 'access-token';
  const { handler, calls } = capture('post', `${options.host ?? SANDBOX}/v1/oauth/token`, () => {
    const token = `${prefix}-${issued.length + 1}`;
    issued.push(token);
    return HttpResponse.json(tokenBody(token, clock.now(), options.lifetimeS ?? 3600));
  });
  return { handler, calls, issued };
}

/** PhonePe's token response shape (docs/phonepe-protocol.md#oauth); times in epoch seconds. */
export function tokenBody(accessToken: string, nowMs: number, lifetimeS: number) {
  const issuedAt = Math.floor(nowMs / 1000);
  return {
    access_token: accessToken,
    encrypted_access_token: `enc-${accessToken}`,
    issued_at: issuedAt,
    expires_at: issuedAt + lifetimeS,
    session_expires_at: issuedAt + lifetimeS,
    token_type: 'O-Bearer',
  };
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: Record<string, unknown>;
  msg: string | undefined;
}

/** A client with a manual clock, no real sleeping, and every log line and event captured. */
export function createHarness(overrides: Partial<PhonePeClientOptions> = {}) {
  const clock = createManualClock(T0);
  const sleeps: number[] = [];
  const events: PhonePeClientEvent[] = [];
  const logs: LogLine[] = [];
  const line = (level: LogLine['level']) => (obj: Record<string, unknown>, msg?: string) => {
    logs.push({ level, obj, msg });
  };
  const logger: Logger = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
  const client = new PhonePeClient({
    ...CREDENTIALS,
    env: 'SANDBOX',
    clock,
    logger,
    onEvent: (event) => events.push(event),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
  return { client, clock, sleeps, events, logs };
}

/** A minimal valid order-status body. */
export function orderStatusBody(overrides: Record<string, unknown> = {}) {
  return {
    merchantId: 'TESTMERCHANT',
    merchantOrderId: 'ord_1',
    orderId: 'OMO2601011200001',
    state: 'PENDING',
    amount: 49900,
    expireAt: T0 + 600_000,
    paymentDetails: [],
    ...overrides,
  };
}
