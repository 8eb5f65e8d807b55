import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPhonePeEmulator, type PhonePeEmulator } from '../../src/testing/index.js';
import { payBody, phonePeCaller, read } from './support/phonepe-caller.js';

let emu: PhonePeEmulator;
let caller: ReturnType<typeof phonePeCaller>;

beforeAll(async () => {
  emu = await startPhonePeEmulator();
  caller = phonePeCaller(emu);
  await caller.token();
});
afterEach(() => emu.faults.clear());
afterAll(() => emu.close());

describe('fault injection', () => {
  it('answers a status for N calls, then routes normally again', async () => {
    const fault = emu.faults.add({ method: 'POST', path: '/checkout/v2/pay', status: 503, times: 2 });
    expect(fault).toMatchObject({ id: expect.stringMatching(/^fault_/), hits: 0, times: 2 });
    const first = await caller.post('/checkout/v2/pay', payBody());
    expect(first.status).toBe(503);
    expect(first.body).toEqual({ code: 'SERVICE_UNAVAILABLE', message: 'Service Unavailable' });
    expect((await caller.post('/checkout/v2/pay', payBody())).status).toBe(503);
    expect((await caller.post('/checkout/v2/pay', payBody())).status).toBe(200);
    expect(emu.faults.list()).toEqual([]);
  });

  it('answers a 429 with extra headers', async () => {
    emu.faults.add({ path: '/checkout/v2/order/*/status', status: 429, headers: { 'retry-after': '1' }, times: 1 });
    const limited = await caller.get('/checkout/v2/order/any/status');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.body.code).toBe('TOO_MANY_REQUESTS');
  });

  it('sends a malformed body as-is', async () => {
    emu.faults.add({ path: '/checkout/v2/pay', status: 200, body: '{"orderId":"OMO1","state":', times: 1 });
    const result = await caller.post('/checkout/v2/pay', payBody());
    expect(result.status).toBe(200);
    expect(result.text).toBe('{"orderId":"OMO1","state":');
    expect(result.body).toBeUndefined();
  });

  it('sends an object body as JSON', async () => {
    emu.faults.add({ path: '/checkout/v2/pay', status: 400, body: { code: 'CUSTOM', message: 'injected' }, times: 1 });
    expect((await caller.post('/checkout/v2/pay', payBody())).body).toEqual({ code: 'CUSTOM', message: 'injected' });
  });

  it('drops the connection without an answer', async () => {
    emu.faults.add({ path: '/v1/oauth/token', dropConnection: true, times: 1 });
    await expect(caller.fetchToken()).rejects.toThrow(/fetch failed/);
    expect((await caller.fetchToken()).status).toBe(200);
  });

  it('delays, so a client with a shorter timeout gives up (a timeout)', async () => {
    emu.faults.add({ path: '/checkout/v2/order/*/status', delayMs: 10_000, times: 1 });
    const token = await caller.token();
    const call = fetch(`${emu.baseUrls.pg}/checkout/v2/order/x/status`, {
      headers: { authorization: `O-Bearer ${token}` },
      signal: AbortSignal.timeout(100),
    });
    await expect(call).rejects.toThrow(/timeout|aborted/i);
  });

  it('delays and then answers normally when no status is given', async () => {
    emu.faults.add({ path: '/checkout/v2/order/*/status', delayMs: 50, times: 1 });
    const result = await caller.get('/checkout/v2/order/unknown/status');
    expect(result.status).toBe(400); // the normal answer (unknown order), after the delay
    expect(emu.faults.list()).toEqual([]);
  });

  it('matches by method, full path, ** globs and RegExp', async () => {
    emu.faults.add({ method: 'GET', path: '/checkout/v2/pay', status: 500 });
    expect((await caller.post('/checkout/v2/pay', payBody())).status).toBe(200);
    emu.faults.clear();
    emu.faults.add({ path: '/apis/pg-sandbox/subscriptions/**', status: 502 });
    expect((await caller.get('/subscriptions/v2/order/x/status')).status).toBe(502);
    expect((await caller.get('/checkout/v2/order/x/status')).status).toBe(400);
    emu.faults.clear();
    emu.faults.add({ path: /\/refund\/[^/]+\/status$/, status: 504 });
    expect((await caller.get('/payments/v2/refund/r1/status')).status).toBe(504);
  });

  it('never applies to /__emulator, so a fault can always be cleared', async () => {
    emu.faults.add({ path: '/**', status: 500 });
    expect((await caller.post('/checkout/v2/pay', payBody())).status).toBe(500);
    const state = await fetch(`${emu.url}/__emulator/faults`).then(read);
    expect(state.status).toBe(200);
    expect(state.body).toHaveLength(1);
    expect((await fetch(`${emu.url}/__emulator/faults`, { method: 'DELETE' })).status).toBe(200);
    expect((await caller.post('/checkout/v2/pay', payBody())).status).toBe(200);
  });

  it('refuses a fault with an unknown key or a bad status', () => {
    expect(() => emu.faults.add({ path: '/x', stauts: 500 } as never)).toThrow(
      /unknown option "stauts"; known options: method, path, status/,
    );
    expect(() => emu.faults.add({ path: '/x', status: 99 })).toThrow(/status/);
    expect(() => emu.faults.add({ path: 'no-slash' })).toThrow(/must start with \//);
  });

  it('counts hits and removes a fault by id', async () => {
    const fault = emu.faults.add({ path: '/checkout/v2/order/*/status', status: 500 });
    await caller.get('/checkout/v2/order/a/status');
    await caller.get('/checkout/v2/order/b/status');
    expect(emu.faults.list()[0]!.hits).toBe(2);
    expect(emu.faults.remove(fault.id)).toBe(true);
    expect(emu.faults.remove(fault.id)).toBe(false);
  });
});
