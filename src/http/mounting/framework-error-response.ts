import type { Logger } from '../../common/logger.js';
import { BillingHttpError, isBillingHttpError } from '../billing-http-error.js';
import { billingErrorResponse } from '../error-response.js';
import { payloadTooLargeError } from '../read-body.js';

/**
 * The billing error response for a refusal a framework (or the Node request reader) made before the
 * handler ran — a body over the limit (`express.raw`'s `entity.too.large`, Fastify's
 * `FST_ERR_CTP_BODY_TOO_LARGE`, the node-http helper's `PAYLOAD_TOO_LARGE`), an unreadable body — so
 * those answers have the same status, code and shape on every adapter. A refusal of the body is
 * answered with `Connection: close`: the body may be partly unread, and its rest must not be taken
 * for the next request on a keep-alive connection.
 */
export function frameworkErrorResponse(error: unknown, options: { limitBytes: number; logger?: Logger }): Response {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    status?: unknown;
    statusCode?: unknown;
    code?: unknown;
    type?: unknown;
    message?: unknown;
  };
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  // Already a billing refusal (e.g. a host-parsed body nested too deep to re-serialise).
  if (isBillingHttpError(error)) return billingErrorResponse(error);
  if (status === 413 || e.code === 'PAYLOAD_TOO_LARGE' || e.type === 'entity.too.large')
    return closing(billingErrorResponse(payloadTooLargeError(options.limitBytes)));
  if (status === 415)
    return closing(
      billingErrorResponse(
        new BillingHttpError(
          'UNSUPPORTED_MEDIA_TYPE',
          'The request body uses an encoding or charset this API does not read; send UTF-8 JSON without Content-Encoding.',
        ),
      ),
    );
  if (e.code === 'REQUEST_BODY_ALREADY_READ') {
    return billingErrorResponse(
      new BillingHttpError(
        'INVALID_BODY',
        'Another middleware read the request body without leaving it on req.body; mount the billing routes before that middleware.',
      ),
      options,
    );
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return closing(
      billingErrorResponse(
        new BillingHttpError('INVALID_BODY', 'The request body could not be read; send the request again.', {
          cause: error,
        }),
      ),
    );
  }
  return billingErrorResponse(error, {
    ...(options.logger ? { logger: options.logger } : {}),
    context: { stage: 'reading the request' },
  });
}

function closing(response: Response): Response {
  response.headers.set('connection', 'close');
  return response;
}
