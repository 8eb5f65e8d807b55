import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingHandler } from '../../src/http/index.js';
import { aSubscription } from '../storage/conformance/fixtures.js';
import { createHttpHarness, DAY, type HttpHarness, START } from './support/http-harness.js';
import { authHeaders } from './support/test-auth.js';

describe('GET /subscriptions/usage/history', () => {
  let h: HttpHarness;
  let handler: (r: Request) => Promise<Response>;
  const get = async (query: string, user: 'member' | 'stranger' | null = 'member') => {
    const response = await handler(
      new Request(`http://billing.test/v1/subscriptions/usage/history${query}`, {
        headers: authHeaders(user, 'ws_hist'),
      }),
    );
    return { status: response.status, json: (await response.json()) as any };
  };
  beforeAll(async () => {
    h = await createHttpHarness();
    handler = createBillingHandler(h.options());
    await h.store.transaction({ system: true }, (tx) =>
      tx.subscriptions.insert(
        aSubscription({ workspaceId: 'ws_hist', planId: 'pro', status: 'active', currentPeriodStart: START }),
      ),
    );
    await h.billing.recordUsage('ws_hist', 'api_calls', 4, { key: 'a' });
    await h.billing.recordUsage('ws_hist', 'api_calls', 6);
    h.clock.advance(DAY);
    await h.billing.recordUsage('ws_hist', 'projects', 2, { key: 'b' });
  });
  afterAll(() => h.close());

  it('answers a read role with usage per UTC day, zero-filled, both dates included', async () => {
    const { status, json } = await get('?from=2026-11-01&to=2026-11-03');
    expect(status).toBe(200);
    expect(json).toEqual({
      status: 'success',
      workspace_id: 'ws_hist',
      granularity: 'day',
      time_zone: 'UTC',
      from: '2026-11-01',
      to: '2026-11-03',
      metrics: ['api_calls', 'projects'],
      days: [
        { date: '2026-11-01', usage: { api_calls: 4, projects: 0 } },
        { date: '2026-11-02', usage: { api_calls: 0, projects: 2 } },
        { date: '2026-11-03', usage: { api_calls: 0, projects: 0 } },
      ],
      totals: { api_calls: 4, projects: 2 },
      unattributed: { api_calls: 6, projects: 0 },
    });
  });

  it('answers per billing period, and the 30 days up to today without dates', async () => {
    const { json } = await get('?from=2026-11-01&to=2026-11-30&granularity=period');
    expect(json).toMatchObject({
      granularity: 'period',
      periods: [
        {
          start: new Date(START).toISOString(),
          usage: { api_calls: 10, projects: 2 },
          keyed: { api_calls: 4, projects: 2 },
        },
      ],
    });
    const recent = await get('');
    expect(recent.json).toMatchObject({ from: '2026-10-04', to: '2026-11-02' }); // the clock is on 2026-11-02
    expect(recent.json.days).toHaveLength(30);
  });

  it('is 401 signed out, 403 for a non-member, 400 for bad dates, long ranges and unknown granularity', async () => {
    expect((await get('', null)).status).toBe(401);
    expect((await get('', 'stranger')).status).toBe(403);
    for (const query of [
      '?from=2026-11-31&to=2026-12-01',
      '?from=2026-11-01&to=01-12-2026',
      '?from=2026-11-02&to=2026-11-01',
      '?from=2025-10-01&to=2026-11-05',
      '?granularity=week',
      '?granularity=',
      '?from=2026-11-01&to=2026-11-02&x=1',
      '?to=2026-11-01&to=2026-11-02',
    ]) {
      const { status, json } = await get(query);
      expect([query, status, json.error.code]).toEqual([query, 400, 'INVALID_INPUT']);
    }
    expect((await get('?from=2025-10-02&to=2026-11-05')).status).toBe(200); // exactly 400 days
  });
});
