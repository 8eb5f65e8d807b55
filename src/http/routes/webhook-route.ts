import type { WebhookEvent } from '../../webhooks/index.js';
import { isWebhookVerificationError } from '../../webhooks/verify-webhook.js';
import { BillingHttpError } from '../billing-http-error.js';
import { jsonResponse } from '../json-response.js';
import { readBodyBytes } from '../read-body.js';
import type { RouteCall, RouteDefinition } from '../route-table.js';

const NOT_CONFIRMED_RETRY_AFTER_S = 30;

/**
 * `POST /payments/webhook`: PhonePe's server-to-server callback, authenticated by its `Authorization`
 * header (SHA-256 of the dashboard username:password, docs/phonepe-protocol.md#webhook-auth), not by a user. The raw
 * body goes to the verifier, the event to `billing.handleWebhook`, and the answer is 200
 * `{ status, outcome, event }` only after the store committed (duplicates are 200 too). Missing or
 * wrong Authorization → 401; a body that is not a PhonePe event → 400; the database or PhonePe down,
 * or an event PhonePe's status API does not confirm yet → 503, so PhonePe delivers it again.
 */
async function webhook({ request, deps }: RouteCall): Promise<Response> {
  const body = await readBodyBytes(request, deps.maxBodyBytes);
  let event: WebhookEvent;
  try {
    event = await deps.verifier.verify({ authorization: request.headers.get('authorization'), body });
  } catch (error) {
    // Only the reason: never the received header or the body.
    if (isWebhookVerificationError(error)) {
      const probably =
        error.hint === 'not_sha256'
          ? "; the Authorization header is not a 64-hex SHA-256: choose 'Basic (SHA)' auth for the webhook in the PhonePe dashboard"
          : '';
      deps.logger.warn(
        { reason: error.reason, ...(error.hint ? { hint: error.hint } : {}) },
        `PhonePe webhook refused${probably}`,
      );
    }
    throw error;
  }
  const result = await deps.billing.handleWebhook(event);
  deps.logger.info(
    { event: result.event, outcome: result.outcome, dedupeKey: result.dedupeKey },
    'PhonePe webhook handled',
  );
  if (result.outcome === 'unconfirmed') {
    // Nothing applied and the event stays open: a non-2xx makes PhonePe deliver it again later.
    throw new BillingHttpError(
      'WEBHOOK_NOT_CONFIRMED',
      `PhonePe's status API does not confirm ${result.event} yet; deliver it again later.`,
      { headers: { 'retry-after': String(NOT_CONFIRMED_RETRY_AFTER_S) } },
    );
  }
  return jsonResponse(200, { status: 'success', outcome: result.outcome, event: result.event });
}

export const webhookRoutes: RouteDefinition[] = [
  { method: 'POST', path: '/payments/webhook', access: 'public', handle: webhook },
];
