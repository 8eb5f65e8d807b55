// phonepe-billing/express — the billing routes as an Express 5 Router. Translation only: statuses and
// bodies come from createBillingHandler (src/http), the same as on every other adapter.
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { forbiddenMethodResponse, mountBillingHandler } from '../../src/http/create-billing-handler.js';
import type { BillingHandlerOptions } from '../../src/http/index.js';
import { frameworkErrorResponse, reserialiseBody } from '../../src/http/mounting.js';
import { incomingMessageToRequest, sendWebResponse } from '../../src/node-http/index.js';

/**
 * What `app.use()` takes — the router, typed structurally so this entry's types need neither
 * `@types/express` nor Express's own types.
 */
export type BillingMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** Options of {@link phonePeBillingRouter}: those of `createBillingHandler`. */
export type PhonePeBillingRouterOptions = BillingHandlerOptions;

/**
 * The billing API as an Express 5 Router. Routes live under `basePath` (default `/v1`) relative to where
 * the router is mounted: `app.use('/billing', router)` serves `/billing/v1/...`. Only paths under it are
 * claimed; the host's other routes are untouched. Bodies are read raw (`express.raw`, limit
 * `maxBodyBytes`); if the host mounted `express.json()` or `express.urlencoded()` first, the parsed body is
 * re-serialised — fine for PhonePe's webhook (its Authorization does not sign the body) and the checkout
 * result form, not for Razorpay's signed webhook unless the JSON round-trips byte for byte (else 401).
 * Mount before the host's body parsers to skip that.
 *
 * @example
 * import { phonePeBillingRouter } from 'phonepe-billing/express';
 * app.use(phonePeBillingRouter({ billing, auth, webhook: { username, password } }));   // /v1/...
 */
export function phonePeBillingRouter(options: PhonePeBillingRouterOptions): BillingMiddleware {
  // Express tells the router its mount point only per request (req.baseUrl).
  const handler = mountBillingHandler(options, null);
  const limit = handler.maxBodyBytes;
  const router = express.Router({ caseSensitive: true });
  // A RegExp without groups: Express neither decodes nor rejects the path; the handler checks it.
  const base = handler.basePath === '/' ? '' : handler.basePath.replaceAll('.', '\\.');
  router.all(new RegExp(`^${base}(?:/.*)?$`), express.raw({ type: () => true, limit }), async (req, res) => {
    // TRACE and CONNECT cannot become a web Request: answer them here, as the handler would.
    handler.observeMount(req.baseUrl);
    const refused = forbiddenMethodResponse(handler, req.method, req.url);
    if (refused) return sendWebResponse(res, refused, { method: req.method });
    const body = reserialiseBody(req.body, req.headers['content-type']);
    const request = await incomingMessageToRequest(req, res, {
      maxBodyBytes: limit,
      ...(body === undefined ? {} : { body }),
    });
    await sendWebResponse(res, await handler(request), { method: req.method });
  });
  router.use(async (error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    await sendWebResponse(
      res,
      frameworkErrorResponse(error, { limitBytes: limit, ...(options.logger ? { logger: options.logger } : {}) }),
      { method: req.method },
    );
  });
  // The Router is that middleware at runtime; its own type would put Express's types in this entry's .d.ts.
  return router as unknown as BillingMiddleware;
}
