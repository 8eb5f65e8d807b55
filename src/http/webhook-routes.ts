import { isBillingError } from '../billing/errors.js';
import type { WebhookHandlingResult } from '../billing/handle-webhook.js';
import type { WebhookEvent } from '../webhooks/index.js';
import { isWebhookVerificationError } from '../webhooks/verify-webhook.js';
import { BillingHttpError, jsonResponse } from './errors.js';
import { readBodyBytes } from './request.js';
import type { RouteCall, RouteDefinition } from './route-table.js';

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

/**
 * `POST /payments/webhook/{gateway}`: the webhooks of a gateway that signs them with a secret of its own
 * (Razorpay: `X-Razorpay-Signature`, HMAC-SHA256 of the raw body; docs/razorpay.md#webhooks). The gateway
 * verifies the raw body — so mount the handler before any JSON body parser for this path — and the event is
 * settled like PhonePe's: 200 only after the store committed; a bad signature 401, a body that is no event
 * 400, an event the gateway's API does not confirm yet or a dependency down 503 (the gateway redelivers).
 * A gateway this manager does not hold is 404.
 */
async function gatewayWebhook({ request, params, deps }: RouteCall): Promise<Response> {
  const name = params.gateway as string;
  if (!deps.billing.gateways.names.includes(name) || name === 'phonepe')
    throw new BillingHttpError('NOT_FOUND', `No webhooks are taken for "${name}" here.`);
  const body = await readBodyBytes(request, deps.maxBodyBytes);
  let result: WebhookHandlingResult;
  try {
    result = await deps.billing.handleGatewayWebhook(name, { body, headers: request.headers });
  } catch (error) {
    // Only the reason: never the received headers or the body.
    if (isBillingError(error) && (error.code === 'WEBHOOK_REJECTED' || error.code === 'INVALID_INPUT'))
      deps.logger.warn({ gateway: name, code: error.code }, `${name} webhook refused`);
    throw error;
  }
  deps.logger.info(
    { gateway: name, event: result.event, outcome: result.outcome, dedupeKey: result.dedupeKey },
    `${name} webhook handled`,
  );
  if (result.outcome === 'unconfirmed')
    throw new BillingHttpError(
      'WEBHOOK_NOT_CONFIRMED',
      `The gateway's API does not confirm ${result.event} yet; deliver it again later.`,
      { headers: { 'retry-after': String(NOT_CONFIRMED_RETRY_AFTER_S) } },
    );
  return jsonResponse(200, { status: 'success', outcome: result.outcome, event: result.event });
}

export const webhookRoutes: RouteDefinition[] = [
  { method: 'POST', path: '/payments/webhook', access: 'public', handle: webhook },
  { method: 'POST', path: '/payments/webhook/:gateway', access: 'public', handle: gatewayWebhook },
];
