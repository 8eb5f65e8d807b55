import type { SubscriptionManager } from '../billing/subscription-manager.js';
import { DASHBOARD_CSS, DASHBOARD_HEADERS, DASHBOARD_HTML, DASHBOARD_SCRIPT } from './dashboard-page.js';
import { jsonResponse } from './errors.js';
import { parseReportQuery } from './report-query.js';
import type { RouteCall, RouteDefinition, StaffCall } from './route-table.js';
import { isoTime } from './views.js';

const DAY_MS = 86_400_000;
/** How many rows each list of the dashboard shows. */
const LIST_LIMIT = 100;

function asset(body: string, contentType: string) {
  return async (): Promise<Response> =>
    new Response(body, { status: 200, headers: { ...DASHBOARD_HEADERS, 'content-type': contentType } });
}

/** The page; `/dashboard/` is sent to `/dashboard`, where its relative script and data paths resolve. */
async function dashboardPage({ url }: RouteCall): Promise<Response> {
  if (url.pathname.endsWith('/')) {
    return new Response(null, {
      status: 308,
      headers: { ...DASHBOARD_HEADERS, location: `${url.pathname.replace(/\/+$/, '')}${url.search}` },
    });
  }
  return asset(DASHBOARD_HTML, 'text/html; charset=utf-8')();
}

/**
 * The outbox's dead-lettered events (`billing.listDeadEvents`), newest first, as the dashboard lists them:
 * what an operator needs to replay one (`phonepe-billing events --replay <id>`), never the payload.
 */
export async function deadEventsOf(billing: SubscriptionManager): Promise<Array<Record<string, unknown>>> {
  const dead = await billing.listDeadEvents({ limit: LIST_LIMIT });
  // What an operator needs to decide on a replay — never the payload (it holds payment records).
  return dead.map((e) => ({
    event_id: e.id,
    event: e.event,
    workspace_id: e.workspaceId,
    attempts: e.attempts,
    last_error: e.lastError,
    created_at: new Date(e.createdAt).toISOString(),
  }));
}

/**
 * `GET /dashboard/data?from=YYYY-MM-DD&to=YYYY-MM-DD` (staff): `billing.report()` for those UTC days (30
 * days up to today by default), the past-due subscriptions, the failed webhooks (no payloads) and the
 * dead-lettered events (`null` without an outbox).
 */
async function dashboardData({ url, deps }: StaffCall): Promise<Response> {
  const { from, to } = parseReportQuery(url, ['day'], deps.billing.now());
  const report = await deps.billing.report({ from, to });
  const attention = await deps.billing.attention({ limit: LIST_LIMIT });
  const body = {
    status: 'success',
    from: new Date(from).toISOString().slice(0, 10),
    to: new Date(to - DAY_MS).toISOString().slice(0, 10),
    report,
    past_due: attention.pastDue.map((s) => ({
      workspace_id: s.workspaceId,
      subscription_id: s.id,
      plan_id: s.planId,
      current_period_end: isoTime(s.currentPeriodEnd),
      grace_ends_at: isoTime(s.graceEndsAt),
      renewal_attempts: s.renewalAttempts,
    })),
    failed_webhooks: attention.failedWebhooks.map((w) => ({
      dedupe_key: w.dedupeKey,
      event: w.event,
      gateway: w.gateway,
      workspace_id: w.workspaceId,
      subject_id: w.subjectId,
      attempts: w.attempts,
      error: w.error,
      received_at: isoTime(w.receivedAt),
      processed_at: isoTime(w.processedAt),
    })),
    dead_events: await deadEventsOf(deps.billing),
  };
  const response = jsonResponse(200, body);
  for (const [name, value] of Object.entries(DASHBOARD_HEADERS)) response.headers.set(name, value);
  return response;
}

/**
 * The operator dashboard (docs/production.md#operator-dashboard): only with the handler's `staff` option.
 * The page, its script and stylesheet are static and hold no data; the data route is staff-only.
 */
export const dashboardRoutes: RouteDefinition[] = [
  {
    method: 'GET',
    path: '/dashboard',
    access: 'staff-assets',
    handle: dashboardPage,
  },
  {
    method: 'GET',
    path: '/dashboard/dashboard.js',
    access: 'staff-assets',
    handle: asset(DASHBOARD_SCRIPT, 'text/javascript; charset=utf-8'),
  },
  {
    method: 'GET',
    path: '/dashboard/dashboard.css',
    access: 'staff-assets',
    handle: asset(DASHBOARD_CSS, 'text/css; charset=utf-8'),
  },
  { method: 'GET', path: '/dashboard/data', access: 'staff', handle: dashboardData },
];
