import { billingErrorResponse, isBillingError, type SubscriptionManager } from 'phonepe-billing';
import type { JwtAuth } from './jwt-auth.js';

/** The caller's credentials as the app's route received them (framework-neutral). */
export interface ProjectRequest {
  authorization: string | null | undefined;
  tenant: string | null | undefined;
}

/**
 * The examples' own route, `POST /api/projects`: a feature of the host app that counts against the plan.
 * It checks the caller like the billing routes do, then `billing.recordUsage(workspace, 'projects', 1, { key })`:
 * 201 with the usage, or 429 `QUOTA_EXCEEDED` when the plan's limit is reached (nothing is recorded),
 * 404 `SUBSCRIPTION_NOT_FOUND` without a subscription. Errors use the billing API's JSON shape.
 *
 * @example
 * const response = await createProject(billing, auth, { authorization: req.headers.authorization, tenant: req.headers['x-tenant-id'] });
 */
export async function createProject(
  billing: SubscriptionManager,
  auth: JwtAuth,
  request: ProjectRequest,
): Promise<Response> {
  const userId = await auth.userFromAuthorization(request.authorization);
  if (!userId) return refuse(401, 'UNAUTHENTICATED', 'Sign in first: send Authorization: Bearer <token>.');
  const workspaceId = typeof request.tenant === 'string' ? request.tenant : '';
  if (!workspaceId || (await auth.getRole(userId, workspaceId)) === null) {
    return refuse(403, 'FORBIDDEN', 'Send X-Tenant-ID with a workspace you are a member of.');
  }
  try {
    // A real app would create the project in the same request; here only the quota is counted. The key
    // counts it once if the request is retried, and dates it: usage history places only keyed usage on a day.
    const projectId = `prj_${crypto.randomUUID().slice(0, 8)}`;
    const usage = await billing.recordUsage(workspaceId, 'projects', 1, { key: `project:${projectId}` });
    return Response.json({ status: 'success', project: { id: projectId }, usage }, { status: 201 });
  } catch (error) {
    if (isBillingError(error)) return billingErrorResponse(error); // QuotaExceededError → 429 QUOTA_EXCEEDED
    throw error;
  }
}

function refuse(status: number, code: string, message: string): Response {
  return Response.json({ status: 'error', error: { code, message } }, { status });
}
