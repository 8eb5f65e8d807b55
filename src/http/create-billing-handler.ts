import {
  joinPaths,
  resolveHandlerOptions,
  warnIfCallbackOutside,
  type BillingHandlerOptions,
  type ResolvedHandlerOptions,
} from './billing-handler-options.js';
import { billingErrorResponse } from './error-response.js';
import { authorizeRequest } from './request-access.js';
import { settleRequestBody } from './settle-request-body.js';
import { callbackRoutes } from './routes/callback-route.js';
import { paymentRoutes } from './routes/payment-routes.js';
import { planRoutes } from './routes/plan-routes.js';
import { subscriptionRoutes } from './routes/subscription-routes.js';
import { webhookRoutes } from './routes/webhook-route.js';
import {
  decodeParams,
  matchRoute,
  methodNotAllowed,
  pathBelow,
  routeNotFound,
  type RouteDefinition,
  type RouteMatch,
} from './route-table.js';

/**
 * The billing API as one web-standard function, plus what adapters need to mount it.
 * Every answer is a `Response`: it never throws.
 *
 * @example
 * const handler: BillingHandler = createBillingHandler(options);
 * const response = await handler(new Request('https://api.example.com/v1/plans'));
 */
export interface BillingHandler {
  (request: Request): Promise<Response>;
  /** The path prefix this handler matches (`/v1` by default). */
  readonly basePath: string;
  /** The body limit in bytes (adapters give it to their framework's body reader). */
  readonly maxBodyBytes: number;
  /**
   * For adapters that learn their mount point only from a request (Express's `req.baseUrl`, Hono's
   * route): checks once that the manager's `config.callbackUrl` points at this handler's callback route
   * under that mount, and logs a warning if not (payers would come back to a 404).
   */
  observeMount(mountPath: string): void;
}

const ROUTES: readonly RouteDefinition[] = [
  ...paymentRoutes,
  ...callbackRoutes,
  ...webhookRoutes,
  ...subscriptionRoutes,
  ...planRoutes,
];

/**
 * Creates the billing HTTP API: `(request: Request) => Promise<Response>`, web-standard only, so it runs
 * on Node, Bun, Deno and edge runtimes, and the Express, Fastify and Hono adapters wrap it. Options are
 * validated here (a `TypeError` names the mistake). Routes, under `basePath` (default `/v1`):
 * `POST /payments/create`, `GET /payments/callback`, `POST /payments/webhook`,
 * `GET /payments/status/{order_id}`, `POST /payments/{order_id}/refund`, `GET /subscriptions`,
 * `PUT /subscriptions/cancel`, `POST /subscriptions/change-plan`, `POST /subscriptions/resume`,
 * `GET /subscriptions/usage`, `GET /plans`. The bare handler matches the full request path, so behind a
 * prefix you add yourself, include it in `basePath` (`/billing/v1`).
 *
 * @example
 * const handler = createBillingHandler({
 *   billing,                                   // a SubscriptionManager
 *   auth: { authenticate: (req) => myAuth(req), getRole: (userId, workspaceId) => myRole(userId, workspaceId) },
 *   webhook: { username: process.env.PHONEPE_WEBHOOK_USERNAME!, password: process.env.PHONEPE_WEBHOOK_PASSWORD! },
 * });
 * Bun.serve({ fetch: handler });               // or Deno.serve(handler), or an adapter
 */
export function createBillingHandler(options: BillingHandlerOptions): BillingHandler {
  return mountBillingHandler(options, '');
}

/**
 * `createBillingHandler` for an adapter that knows its mount prefix up front (Fastify's `prefix`):
 * the handler then matches `mountPath + basePath` on the full path. `null`: the adapter learns the mount
 * point only per request, matches paths below it, and calls `observeMount` (Express, Hono). Internal to
 * the adapters.
 */
export function mountBillingHandler(options: BillingHandlerOptions, mountPath: string | null): BillingHandler {
  const deps = resolveHandlerOptions(options, mountPath ?? '');
  // A known mount is checked now; an unknown one on the first request that shows it.
  let mountChecked = mountPath !== null;
  if (mountPath !== null) warnIfCallbackOutside(deps.billing, deps.basePath, deps.logger);
  const handler = async (request: Request): Promise<Response> => {
    let response: Response;
    try {
      response = await dispatch(deps, request);
    } catch (error) {
      response = billingErrorResponse(error, {
        logger: deps.logger,
        context: { method: request.method, path: safePath(request) },
      });
    }
    return settleRequestBody(request, response, deps.maxBodyBytes);
  };
  const observeMount = (observed: string) => {
    if (mountChecked) return;
    mountChecked = true;
    warnIfCallbackOutside(deps.billing, joinPaths(observed, deps.basePath), deps.logger);
  };
  return Object.defineProperties(handler, {
    basePath: { value: deps.basePath || '/', enumerable: true },
    maxBodyBytes: { value: deps.maxBodyBytes, enumerable: true },
    observeMount: { value: observeMount },
  }) as BillingHandler;
}

// Methods the Fetch standard forbids: `new Request` throws on them, so they can never reach the handler.
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/**
 * For adapters: the answer to a request whose method a web-standard `Request` cannot carry (`TRACE`,
 * `TRACK`, `CONNECT`), or null for any other method. It is what the handler answers any method no
 * route takes: 405 with the path's `Allow` list, or 404 off the billing paths — with `Connection:
 * close`, since whatever body came with it is left unread. Call it before building the `Request`;
 * `url` is the path (and query) as the handler would see it. Internal.
 *
 * @example
 * const refused = forbiddenMethodResponse(handler, req.method, req.url);
 * if (refused) return sendWebResponse(res, refused, { method: req.method });
 */
export function forbiddenMethodResponse(handler: BillingHandler, method: string, url: string): Response | null {
  const upper = method.toUpperCase();
  if (!FORBIDDEN_METHODS.has(upper)) return null;
  const basePath = handler.basePath === '/' ? '' : handler.basePath;
  const pathname = pathnameOf(url);
  let refusal: unknown = methodNotAllowed(upper, pathname, ['GET', 'POST', 'PUT']);
  try {
    findRoute(basePath, upper, pathname); // throws the 404 / 405 the handler would answer
  } catch (error) {
    refusal = error;
  }
  const response = billingErrorResponse(refusal);
  response.headers.set('connection', 'close');
  return response;
}

function pathnameOf(url: string): string {
  try {
    return new URL(`http://billing.invalid${url.startsWith('/') ? url : `/${url}`}`).pathname;
  } catch {
    return '/';
  }
}

/** The route for `method` on `pathname`, or the 404 / 405 (with `Allow`) to answer instead. */
function findRoute(basePath: string, method: string, pathname: string): Extract<RouteMatch, { kind: 'route' }> {
  const path = pathBelow(pathname, basePath);
  if (path === null) throw routeNotFound(method, pathname);
  const match = matchRoute(ROUTES, path, method);
  if (match.kind === 'none') throw routeNotFound(method, pathname);
  if (match.kind === 'wrong_method') throw methodNotAllowed(method, pathname, match.allow);
  return match;
}

async function dispatch(deps: ResolvedHandlerOptions, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const match = findRoute(deps.basePath, request.method.toUpperCase(), url.pathname);
  const { route } = match;
  if (route.access === 'public') return route.handle({ request, url, params: decodeParams(match.params), deps });
  // Identity and membership before anything about the request is looked at.
  const actor = await authorizeRequest(request, route.access, deps);
  return route.handle({ request, url, params: decodeParams(match.params), deps, actor });
}

function safePath(request: Request): string {
  try {
    return new URL(request.url).pathname.slice(0, 200);
  } catch {
    return '(invalid url)';
  }
}
