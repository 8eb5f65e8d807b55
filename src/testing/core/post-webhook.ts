import type { WebhookTarget } from './records.js';
import { webhookAuthorization } from './webhook-authorization.js';
import type { WebhookAttempt } from './webhook-delivery.js';

/**
 * One delivery attempt: POST the JSON body with PhonePe's `Authorization` (docs/phonepe-protocol.md#webhook-auth) and wait at
 * most `timeoutMs` for an answer. Never throws; a network error or timeout is `status: null`.
 */
export async function postWebhook(
  fetchImpl: typeof fetch,
  target: WebhookTarget,
  body: string,
  timeoutMs: number,
  inflight: Set<AbortController>,
): Promise<WebhookAttempt> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  inflight.add(controller);
  const at = Date.now();
  try {
    const response = await fetchImpl(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: webhookAuthorization(target.username, target.password),
      },
      body,
      signal: controller.signal,
    });
    await response.arrayBuffer().catch(() => undefined);
    return { at, status: response.status };
  } catch (error) {
    return { at, status: null, error: describe(error) };
  } finally {
    clearTimeout(timer);
    inflight.delete(controller);
  }
}

// fetch wraps the real reason (ECONNREFUSED, our timeout) in `cause`.
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? error.cause.message : error.message;
}
