import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, DAY, START, useBillingHarness } from './support/billing-harness.js';
import { subscribe } from './support/subscribe.js';

describe.each(BACKENDS)('billing.usageReport (%s)', (backend) => {
  const h = useBillingHarness(backend);
  beforeAll(async () => {
    await subscribe(h, 'ws_ur', 'pro'); // period from 2026-11-01
    await h.billing.recordUsage('ws_ur', 'api_calls', 5, { key: 'r1' });
    await h.billing.recordUsage('ws_ur', 'api_calls', 7); // no key: no day is recorded for it
    h.clock.advance(2 * DAY + 3_600_000);
    await h.billing.recordUsage('ws_ur', 'api_calls', 3, { key: 'r2' });
    await h.billing.recordUsage('ws_ur', 'projects', 1, { key: 'r3' });
    await h.billing.recordUsage('ws_ur', 'projects', 1, { key: 'r3' }); // a repeat: counted once
  });

  it('per UTC day: zero-filled days, keyed usage on its day, the rest as unattributed', async () => {
    const report = await h.billing.usageReport('ws_ur', { from: START, to: START + 4 * DAY, granularity: 'day' });
    expect(report).toEqual({
      workspaceId: 'ws_ur',
      granularity: 'day',
      from: START,
      to: START + 4 * DAY,
      timeZone: 'UTC',
      metrics: ['api_calls', 'projects'],
      days: [
        { date: '2026-11-01', start: START, usage: { api_calls: 5, projects: 0 } },
        { date: '2026-11-02', start: START + DAY, usage: { api_calls: 0, projects: 0 } },
        { date: '2026-11-03', start: START + 2 * DAY, usage: { api_calls: 3, projects: 1 } },
        { date: '2026-11-04', start: START + 3 * DAY, usage: { api_calls: 0, projects: 0 } },
      ],
      totals: { api_calls: 8, projects: 1 },
      unattributed: { api_calls: 7, projects: 0 },
    });
  });

  it('per billing period: the counters and their keyed part', async () => {
    const report = await h.billing.usageReport('ws_ur', { from: START, to: START + 4 * DAY, granularity: 'period' });
    expect(report).toMatchObject({
      granularity: 'period',
      metrics: ['api_calls', 'projects'],
      periods: [{ start: START, usage: { api_calls: 15, projects: 1 }, keyed: { api_calls: 8, projects: 1 } }],
      totals: { api_calls: 15, projects: 1 },
    });
  });

  it('another workspace sees none of it; bad input is INVALID_INPUT', async () => {
    const other = await h.billing.usageReport('ws_ur_other', { from: START, to: START + DAY });
    expect(other).toMatchObject({ metrics: [], days: [{ date: '2026-11-01', usage: {} }] });
    for (const bad of [
      { from: START, to: START + DAY + 5 },
      { from: START + DAY, to: START },
      { from: START, to: START + 401 * DAY },
      { from: START, to: START + DAY, granularity: 'hour' },
      { from: START, to: START + DAY, extra: 1 },
    ]) {
      await expect(h.billing.usageReport('ws_ur', bad as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
  });
});
