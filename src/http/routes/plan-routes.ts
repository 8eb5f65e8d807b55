import { jsonResponse } from '../json-response.js';
import type { RouteCall, RouteDefinition } from '../route-table.js';
import { toPlanView } from '../views/plan-view.js';

/** `GET /plans` → `{ status, plans }`. Public: no identity or workspace needed (a pricing page calls it). */
async function listPlans({ deps }: RouteCall): Promise<Response> {
  const plans = await deps.billing.listPlans();
  return jsonResponse(200, { status: 'success', plans: plans.map(toPlanView) });
}

export const planRoutes: RouteDefinition[] = [{ method: 'GET', path: '/plans', access: 'public', handle: listPlans }];
