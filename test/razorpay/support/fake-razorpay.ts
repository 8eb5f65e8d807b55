// msw at the network edge of RazorpayClient tests: a small in-memory Razorpay (orders, payments,
// refunds, customers, tokens) that records every request, checks Basic auth, and can be told to fail
// the next matching call — before acting, or after acting (the answer lost), the case the
// outcome-unknown rule is about. Bodies follow the shapes of Razorpay's API reference samples.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createManualClock } from '../../../src/common/clock.js';
import type { Logger } from '../../../src/common/logger.js';
import { RazorpayClient, type RazorpayClientEvent, type RazorpayClientOptions } from '../../../src/razorpay/index.js';

export const BASE = 'https://api.razorpay.com/v1';
export const KEY_ID = 'rzp_test_1DP5mmOlF5G5ag';
export const KEY_SECRET = 'key-secret-9f2c-DO-NOT-LEAK';
export const BASIC = `Basic ${Buffer.from(`${KEY_ID}:${KEY_SECRET}`).toString('base64')}`;
const T0_S = 1_767_225_600; // 2026-01-01T00:00:00Z

/** Starts one msw server for the file; any request without a handler fails the test. */
export function useMswServer(): ReturnType<typeof setupServer> {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** A request as it reached the fake. */
export interface Captured {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | null;
  contentType: string | null;
  body: unknown;
}

/**
 * What the next matching call gets: `drop` (connection reset), `500`, `garbled` (a 2xx that is not
 * JSON), `truncated` (a 2xx cut mid-body), `timeout` (an answer slower than the client waits), `503`,
 * `429`, `proxy-502`, `proxy-400` (an HTML page without Razorpay's error body).
 */
export type Fault = 'drop' | '500' | '503' | '429' | 'garbled' | 'truncated' | 'timeout' | 'proxy-400' | 'proxy-502';

interface PendingFault {
  method: string;
  path: RegExp;
  fault: Fault;
  /** `after`: the fake acts, then the answer is replaced by the fault; `before`: it does not act. */
  when: 'before' | 'after';
}

type Json = Record<string, unknown>;

const error = (status: number, description: string, field?: string, code = 'BAD_REQUEST_ERROR') =>
  HttpResponse.json(
    {
      error: {
        code,
        description,
        source: 'business',
        step: 'payment_initiation',
        reason: 'input_validation_failed',
        metadata: {},
        ...(field === undefined ? {} : { field }),
      },
    },
    { status },
  );

/** The fake Razorpay: state, captured requests, fault injection and the msw handlers. */
export function fakeRazorpay(options: { timeoutAnswerMs?: number } = {}) {
  const orders = new Map<string, Json>();
  const payments = new Map<string, Json>();
  const refunds = new Map<string, Json>();
  const customers = new Map<string, Json>();
  const tokens = new Map<string, Json & { customer_id: string }>();
  const requests: Captured[] = [];
  const faults: PendingFault[] = [];
  let seq = 0;
  const id = (prefix: string) => `${prefix}_${String((seq += 1)).padStart(14, 'T')}`;
  const now = () => T0_S + seq;

  const collection = (items: Json[]) => HttpResponse.json({ entity: 'collection', count: items.length, items });

  async function faulted(fault: Fault): Promise<Response> {
    switch (fault) {
      case 'drop':
        return HttpResponse.error();
      case '500':
        return error(
          500,
          'The server encountered an error. The incident has been reported to admins.',
          undefined,
          'SERVER_ERROR',
        );
      case '503':
        return error(503, 'Service unavailable', undefined, 'SERVER_ERROR');
      case '429':
        return new HttpResponse(
          JSON.stringify({ error: { code: 'BAD_REQUEST_ERROR', description: 'Too many requests' } }),
          {
            status: 429,
            headers: { 'Content-Type': 'application/json', 'Retry-After': '1' },
          },
        );
      case 'garbled':
        return new HttpResponse('<html>upstream sent garbage</html>', { status: 200 });
      case 'truncated':
        return new HttpResponse('{"id":"order_', { status: 200, headers: { 'Content-Type': 'application/json' } });
      case 'timeout':
        await new Promise((resolve) => setTimeout(resolve, options.timeoutAnswerMs ?? 400));
        return HttpResponse.json({ late: true });
      case 'proxy-400':
        return new HttpResponse('<html>400 Bad Request</html>', { status: 400 });
      case 'proxy-502':
        return new HttpResponse('<html>502 Bad Gateway</html>', { status: 502 });
    }
  }

  /** Wraps an action: records the request, checks auth, applies a pending fault before or after acting. */
  const route = (
    method: 'get' | 'post' | 'put' | 'delete',
    pattern: string,
    act: (req: Captured, params: Json) => Response,
  ) =>
    http[method](`${BASE}${pattern}`, async ({ request, params }) => {
      const url = new URL(request.url);
      const text = await request.text();
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = text;
      }
      const captured: Captured = {
        method: request.method,
        path: url.pathname.slice('/v1'.length),
        query: url.searchParams,
        authorization: request.headers.get('authorization'),
        contentType: request.headers.get('content-type'),
        body,
      };
      requests.push(captured);
      if (captured.authorization !== BASIC) return error(401, 'The api key provided is invalid');
      const index = faults.findIndex((f) => f.method === request.method && f.path.test(captured.path));
      const fault = index === -1 ? undefined : faults.splice(index, 1)[0];
      if (fault?.when === 'before') return faulted(fault.fault);
      const response = act(captured, params as Json);
      if (fault?.when === 'after') return faulted(fault.fault);
      return response;
    });

  const body = (req: Captured) => (req.body ?? {}) as Json;
  const notes = (value: unknown) => (value === undefined ? [] : value);

  const handlers = [
    route('post', '/orders', (req) => {
      const b = body(req);
      if (typeof b.amount !== 'number' || !Number.isInteger(b.amount) || b.amount < 100)
        return error(400, 'The amount must be atleast INR 1.00', 'amount');
      const order = {
        id: id('order'),
        entity: 'order',
        amount: b.amount,
        amount_paid: 0,
        amount_due: b.amount,
        currency: b.currency,
        receipt: b.receipt ?? null,
        offer_id: null,
        status: 'created',
        attempts: 0,
        notes: notes(b.notes),
        created_at: now(),
        ...(b.token === undefined ? {} : { token: b.token, customer_id: b.customer_id, method: b.method }),
      };
      orders.set(order.id, order);
      return HttpResponse.json(order);
    }),
    route('get', '/orders', (req) => {
      const receipt = req.query.get('receipt');
      return collection([...orders.values()].filter((o) => receipt === null || o.receipt === receipt).reverse());
    }),
    route('get', '/orders/:id', (_req, p) => {
      const order = orders.get(String(p.id));
      return order === undefined ? error(400, 'The id provided does not exist', 'id') : HttpResponse.json(order);
    }),
    route('get', '/orders/:id/payments', (_req, p) =>
      collection([...payments.values()].filter((pay) => pay.order_id === p.id)),
    ),
    route('get', '/payments/:id', (_req, p) => {
      const payment = payments.get(String(p.id));
      return payment === undefined ? error(400, 'The id provided does not exist', 'id') : HttpResponse.json(payment);
    }),
    route('post', '/payments/:id/refund', (req, p) => {
      const payment = payments.get(String(p.id));
      if (payment === undefined) return error(400, 'The id provided does not exist', 'id');
      const b = body(req);
      const refundable = (payment.amount as number) - (payment.amount_refunded as number);
      if (typeof b.amount !== 'number' || b.amount > refundable)
        return error(400, 'The refund amount provided is greater than amount captured', 'amount');
      const refund = {
        id: id('rfnd'),
        entity: 'refund',
        amount: b.amount,
        currency: 'INR',
        payment_id: payment.id,
        notes: notes(b.notes),
        receipt: b.receipt ?? null,
        acquirer_data: { arn: null },
        created_at: now(),
        batch_id: null,
        status: 'pending',
        speed_processed: 'normal',
        speed_requested: b.speed ?? 'normal',
      };
      refunds.set(refund.id, refund);
      payment.amount_refunded = (payment.amount_refunded as number) + (b.amount as number);
      payment.refund_status = payment.amount_refunded === payment.amount ? 'full' : 'partial';
      return HttpResponse.json(refund);
    }),
    route('get', '/refunds/:id', (_req, p) => {
      const refund = refunds.get(String(p.id));
      return refund === undefined ? error(400, 'The id provided does not exist', 'id') : HttpResponse.json(refund);
    }),
    route('get', '/payments/:id/refunds', (_req, p) =>
      collection([...refunds.values()].filter((r) => r.payment_id === p.id)),
    ),
    route('post', '/customers', (req) => {
      const b = body(req);
      const existing = [...customers.values()].find(
        (c) => (b.email !== undefined && c.email === b.email) || (b.contact !== undefined && c.contact === b.contact),
      );
      if (existing !== undefined) {
        if (b.fail_existing !== '0') return error(400, 'Customer already exists for the merchant');
        return HttpResponse.json(existing);
      }
      const customer = {
        id: id('cust'),
        entity: 'customer',
        name: b.name ?? null,
        email: b.email ?? null,
        contact: b.contact ?? null,
        gstin: null,
        notes: notes(b.notes),
        created_at: now(),
      };
      customers.set(customer.id, customer);
      return HttpResponse.json(customer);
    }),
    route('get', '/customers/:cid/tokens', (_req, p) =>
      collection([...tokens.values()].filter((t) => t.customer_id === p.cid)),
    ),
    route('get', '/customers/:cid/tokens/:tid', (_req, p) => {
      const token = tokens.get(String(p.tid));
      return token?.customer_id === p.cid ? HttpResponse.json(token) : error(400, 'The id provided does not exist');
    }),
    route('put', '/customers/:cid/tokens/:tid/cancel', (_req, p) => {
      const token = tokens.get(String(p.tid));
      if (token === undefined || token.customer_id !== p.cid) return error(400, 'The id provided does not exist');
      token.recurring_details = { status: 'cancellation_initiated', failure_reason: null };
      return HttpResponse.json(token);
    }),
    route('delete', '/customers/:cid/tokens/:tid', (_req, p) => {
      const token = tokens.get(String(p.tid));
      if (token === undefined || token.customer_id !== p.cid) return error(400, 'The id provided does not exist');
      tokens.delete(token.id as string);
      return HttpResponse.json({ deleted: true });
    }),
    route('post', '/payments/create/recurring', (req) => {
      const b = body(req);
      const order = orders.get(String(b.order_id));
      if (order === undefined) return error(400, 'The id provided does not exist', 'order_id');
      const token = tokens.get(String(b.token));
      if (token?.recurring_details === undefined || (token.recurring_details as Json).status !== 'confirmed')
        return error(400, 'The token is not active', 'token', 'BAD_REQUEST_ERROR');
      const payment = seedPayment(order.id as string, {
        amount: b.amount,
        status: 'created',
        captured: false,
        customer_id: b.customer_id,
        token_id: b.token,
        recurring: true,
      });
      return HttpResponse.json({
        razorpay_payment_id: payment.id,
        razorpay_order_id: order.id,
        razorpay_signature: 'f'.repeat(64),
      });
    }),
  ];

  function seedPayment(orderId: string, overrides: Json = {}): Json {
    const order = orders.get(orderId);
    const payment: Json = {
      id: id('pay'),
      entity: 'payment',
      amount: order?.amount ?? 50_000,
      currency: 'INR',
      status: 'captured',
      order_id: orderId,
      invoice_id: null,
      international: false,
      method: 'upi',
      amount_refunded: 0,
      refund_status: null,
      captured: true,
      description: null,
      vpa: 'gaurav.kumar@exampleupi',
      email: 'gaurav.kumar@example.com',
      contact: '+919000090000',
      notes: [],
      fee: 236,
      tax: 36,
      error_code: null,
      error_description: null,
      created_at: now(),
      ...overrides,
    };
    payments.set(payment.id as string, payment);
    return payment;
  }

  return {
    handlers,
    requests,
    orders,
    payments,
    refunds,
    customers,
    tokens,
    /** The next call matching `method` and `path` gets `fault` (`after` = the fake acted first). */
    failNext(method: string, path: RegExp, fault: Fault, when: 'before' | 'after' = 'after') {
      faults.push({ method, path, fault, when });
    },
    /** Seeds an order directly (no request recorded). */
    seedOrder(amount = 50_000, receipt = 'seeded'): Json {
      const order = {
        id: id('order'),
        entity: 'order',
        amount,
        currency: 'INR',
        receipt,
        status: 'paid',
        attempts: 1,
        notes: [],
        created_at: now(),
      };
      orders.set(order.id, order);
      return order;
    },
    seedPayment,
    /** Seeds a customer with a UPI token in `status`. */
    seedToken(status = 'confirmed'): { customerId: string; tokenId: string } {
      const customer = {
        id: id('cust'),
        entity: 'customer',
        name: 'Gaurav Kumar',
        email: 'g@example.com',
        contact: '+919000090000',
        created_at: now(),
      };
      customers.set(customer.id, customer);
      const token = {
        id: id('token'),
        entity: 'token',
        customer_id: customer.id,
        method: 'upi',
        max_amount: 150_000,
        expired_at: T0_S + 31_536_000,
        recurring: true,
        recurring_details: { status, failure_reason: null },
        created_at: now(),
      };
      tokens.set(token.id, token);
      return { customerId: customer.id, tokenId: token.id };
    },
    /** Requests matching `method` and a path prefix. */
    count(method: string, path: string): number {
      return requests.filter((r) => r.method === method && r.path === path).length;
    },
  };
}

/** A client for the fake: no real sleeps (recorded), logs and events captured, short timeout. */
export function createRazorpayHarness(overrides: Partial<RazorpayClientOptions> = {}) {
  const sleeps: number[] = [];
  const events: RazorpayClientEvent[] = [];
  const logs: { level: string; obj: Record<string, unknown>; msg: string | undefined }[] = [];
  const line = (level: string) => (obj: Record<string, unknown>, msg?: string) => {
    logs.push({ level, obj, msg });
  };
  const logger: Logger = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
  const client = new RazorpayClient({
    keyId: KEY_ID,
    keySecret: KEY_SECRET,
    timeoutMs: 100,
    logger,
    clock: createManualClock(T0_S * 1000),
    onEvent: (event) => events.push(event),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
  return { client, sleeps, events, logs };
}
