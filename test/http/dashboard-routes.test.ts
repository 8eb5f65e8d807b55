import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubscriptionManager } from '../../src/billing/subscription-manager.js';
import { deadEventsOf } from '../../src/http/dashboard-routes.js';
import { createBillingHandler } from '../../src/http/index.js';
import { aSubscription } from '../storage/conformance/fixtures.js';
import { createHttpHarness, DAY, type HttpHarness, START } from './support/http-harness.js';

const STAFF = 'u_staff';
const get = (handler: (r: Request) => Promise<Response>, path: string, user?: string) =>
  handler(new Request(`http://billing.test${path}`, { headers: user ? { authorization: `Bearer ${user}` } : {} }));

describe('the operator dashboard routes', () => {
  let h: HttpHarness;
  let handler: (r: Request) => Promise<Response>;
  beforeAll(async () => {
    h = await createHttpHarness();
    handler = createBillingHandler(h.options({ staff: { isStaff: ({ userId }) => userId === STAFF } }));
    await h.store.transaction({ system: true }, async (tx) => {
      await tx.subscriptions.insert(
        aSubscription({
          workspaceId: 'ws_late',
          planId: 'pro',
          status: 'past_due',
          createdAt: START - 40 * DAY,
          currentPeriodEnd: START - DAY,
        }),
      );
      await tx.webhookEvents.record({
        dedupeKey: 'wh_failed',
        event: 'checkout.order.completed',
        subjectId: 'ord_<script>',
        payload: { secret: 'never shown' },
        now: START + 1,
      });
      await tx.webhookEvents.markFailed('wh_failed', { workspaceId: null, error: '<img src=x>', now: START + 2 });
    });
  });
  afterAll(() => h.close());

  it('does not exist without the staff option', async () => {
    const plain = createBillingHandler(h.options());
    for (const path of ['/v1/dashboard', '/v1/dashboard/data', '/v1/dashboard/dashboard.js'])
      expect((await get(plain, path, STAFF)).status).toBe(404);
  });

  it('serves a static shell, script and stylesheet with a CSP that allows no inline code', async () => {
    const page = await get(handler, '/v1/dashboard');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await page.text();
    expect(html).toContain('src="dashboard/dashboard.js"');
    expect(html).not.toMatch(/<script>|<style>|\son\w+=/); // no inline script, style or handler
    expect(html).not.toContain('ws_late'); // the shell holds no data
    const script = await get(handler, '/v1/dashboard/dashboard.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).not.toContain('innerHTML');
    expect((await get(handler, '/v1/dashboard/dashboard.css')).headers.get('content-type')).toBe(
      'text/css; charset=utf-8',
    );
    const slash = await get(handler, '/v1/dashboard/?from=2026-11-01');
    expect(slash.status).toBe(308);
    expect(slash.headers.get('location')).toBe('/v1/dashboard?from=2026-11-01');
  });

  it('gives the data to staff only: 401 signed out, 403 for a workspace owner who is not staff', async () => {
    expect((await get(handler, '/v1/dashboard/data')).status).toBe(401);
    const owner = await get(handler, '/v1/dashboard/data', 'u_owner');
    expect(owner.status).toBe(403);
    expect(((await owner.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
  });

  it('answers staff with the report, the past-due and failed lists (no payloads), and the (empty) dead events of the outbox', async () => {
    const response = await get(handler, '/v1/dashboard/data?from=2026-11-01&to=2026-11-03', STAFF);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as any;
    expect(body).toMatchObject({ status: 'success', from: '2026-11-01', to: '2026-11-03', dead_events: [] });
    expect(body.report.days.map((d: { date: string }) => d.date)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(body.report.days[0].webhooks).toMatchObject({ received: 1, failed: 1 });
    expect(body.past_due).toEqual([
      expect.objectContaining({
        workspace_id: 'ws_late',
        plan_id: 'pro',
        current_period_end: new Date(START - DAY).toISOString(),
      }),
    ]);
    expect(body.failed_webhooks).toEqual([
      expect.objectContaining({ dedupe_key: 'wh_failed', error: '<img src=x>', subject_id: 'ord_<script>' }),
    ]);
    expect(JSON.stringify(body)).not.toContain('never shown');
    // Without dates: the 30 UTC days up to today (the manager's clock).
    const recent = (await (await get(handler, '/v1/dashboard/data', STAFF)).json()) as any;
    expect(recent).toMatchObject({ from: '2026-10-03', to: '2026-11-01' });
    expect(recent.report.days).toHaveLength(30);
  });

  it('refuses bad ranges with 400', async () => {
    for (const query of [
      'from=2026-02-30&to=2026-03-01',
      'from=2026-11-05&to=2026-11-01',
      'from=2025-01-01&to=2026-11-01',
      'from=2026-11-01&to=2026-11-02&granularity=period',
      'from=2026-11-01&from=2026-11-02',
      'since=2026-11-01',
      'from=1.5',
    ]) {
      const response = await get(handler, `/v1/dashboard/data?${query}`, STAFF);
      expect([query, response.status]).toEqual([query, 400]);
    }
  });

  it("lists the outbox's dead events for a replay: id, event, workspace, attempts, last error — never the payload", async () => {
    // A dead event as the outbox leaves it: written in a transaction, claimed, its one attempt failed.
    await h.store.transaction({ system: true }, async (tx) => {
      await tx.outbox.append([
        {
          id: 'evt_dead_1',
          workspaceId: 'ws_late',
          event: 'paymentCompleted',
          payload: { payment: { secret: 'x' } },
          now: START,
        },
      ]);
      const [claimed] = await tx.outbox.claim({ now: START, limit: 10, workerId: 'w1', leaseMs: 60_000 });
      await tx.outbox.finish({
        id: claimed!.id,
        workerId: 'w1',
        outcome: { delivered: false, error: 'hook threw: boom', retryAt: null },
        now: START,
      });
    });
    const body = (await (await get(handler, '/v1/dashboard/data?from=2026-11-01&to=2026-11-03', STAFF)).json()) as any;
    expect(body.dead_events).toEqual([
      {
        event_id: 'evt_dead_1',
        event: 'paymentCompleted',
        workspace_id: 'ws_late',
        attempts: 1,
        last_error: 'hook threw: boom',
        created_at: new Date(START).toISOString(),
      },
    ]);
    expect(JSON.stringify(body.dead_events)).not.toContain('secret');
  });
});
