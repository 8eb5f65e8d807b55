import { describe, expect, it } from 'vitest';
import { createHttpSend, type HttpSendFailures } from '../../src/common/http-send.js';

class Timeout extends Error {}
class Network extends Error {}
const failures: HttpSendFailures = {
  timeout: (d) => new Timeout(`${d.httpMethod} ${d.path} ${d.timeoutMs}`),
  network: (d) => new Network(`${d.httpMethod} ${d.path}`),
};
const attempt = { method: 'GET' as const, url: 'http://gateway.test/v1/x', path: '/x', headers: {} };

describe('createHttpSend (shared by the gateway clients)', () => {
  it('returns status, headers and the body text', async () => {
    const send = createHttpSend({
      timeoutMs: 1000,
      failures,
      fetch: async () => new Response('{"ok":true}', { status: 201, headers: { 'x-a': '1' } }),
    });
    const reply = await send(attempt);
    expect([reply.status, reply.headers.get('x-a'), reply.text]).toEqual([201, '1', '{"ok":true}']);
  });

  it("throws the caller's timeout error when no answer comes, even from a fetch that ignores its signal", async () => {
    const send = createHttpSend({ timeoutMs: 20, failures, fetch: () => new Promise<Response>(() => {}) });
    const error = await send(attempt).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Timeout);
    expect((error as Error).message).toBe('GET /x 20');
  });

  it("throws the caller's network error when the fetch fails", async () => {
    const send = createHttpSend({
      timeoutMs: 1000,
      failures,
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    const error = await send({ ...attempt, method: 'DELETE' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Network);
    expect((error as Error & { cause?: unknown }).message).toBe('DELETE /x');
  });
});
