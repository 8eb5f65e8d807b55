import { z } from 'zod';
import { createReturnUrlAllowlist, type ReturnUrlAllowlist } from '../billing/return-url-allowlist.js';
import type { SubscriptionManager } from '../billing/subscription-manager.js';
import { type AssertTrue, parseOptions, type SchemaMatches } from '../common/invalid-options.js';
import { type Logger, silentLogger } from '../common/logger.js';
import { createWebhookVerifier, type WebhookCredentials, type WebhookVerifier } from '../webhooks/verify-webhook.js';
import {
  authorizeRequest,
  authorizeStaff,
  BILLING_ROLES,
  type BillingAuth,
  type BillingStaffCheck,
  type BillingRolePolicy,
  DEFAULT_BILLING_ROLE_POLICY,
} from './access.js';
import { billingErrorResponse } from './errors.js';
import { settleRequestBody } from './request.js';
import {
  decodeParams,
  matchRoute,
  methodNotAllowed,
  pathBelow,
  type RouteDefinition,
  type RouteMatch,
  routeNotFound,
} from './route-table.js';
import { paymentRoutes, planRoutes, subscriptionRoutes } from './routes.js';
import { webhookRoutes } from './webhook-routes.js';
import { payerRoutes } from './payer-routes.js';
import { dashboardRoutes } from './dashboard-routes.js';

/**
 * Options of `createBillingHandler` (and of the Express, Fastify and Hono adapters).
 *
 * @example
 * const options: BillingHandlerOptions = {
 *   billing, auth,
 *   webhook: { username: env.PHONEPE_WEBHOOK_USERNAME, password: env.PHONEPE_WEBHOOK_PASSWORD },
 * };
 */
export interface BillingHandlerOptions {
  /** The subscription manager; the source of truth for `callbackUrl` and the return-URL allowlist. */
  billing: SubscriptionManager;
  /** The host's authentication and workspace roles. */
  auth: BillingAuth;
  /** The webhook username and password set in the PhonePe dashboard. */
  webhook: WebhookCredentials;
  /**
   * Where the routes live, relative to the adapter's mount point (`app.use('/billing', router)` +
   * `/v1` = `/billing/v1/...`). The bare handler has no mount point: it sees the full path, so give it
   * the whole prefix (`/billing/v1`). `/` puts the routes at the root.
   * @default '/v1'
   */
  basePath?: string;
  /**
   * Optional cross-check: must equal the manager's `config.callbackUrl` (configure it once, there).
   */
  callbackUrl?: string;
  /**
   * Extra origins check for return URLs, on top of the manager's `config.redirectAllowlist`: a
   * return URL must pass both, when the payment is created and again before the callback redirects.
   */
  redirectAllowlist?: readonly string[];
  /** Which roles may manage billing, read it, and refund over HTTP. @default { manage: ['owner'], read: ['owner', 'admin', 'member'], refund: [] } */
  roles?: Partial<BillingRolePolicy>;
  /** The largest request body accepted, in bytes (counted while streaming). @default 65536 */
  maxBodyBytes?: number;
  /** Where 5xx answers and auth failures are logged (pino-shaped). @default silentLogger */
  logger?: Logger;
  /**
   * Who is the host's staff: turns on the operator dashboard (`GET /dashboard`, `GET /dashboard/data`).
   * Without it those routes do not exist (404). @default undefined (no dashboard)
   */
  staff?: BillingStaffCheck;
}

/** The options with defaults applied and the derived helpers built (internal). */
export interface ResolvedHandlerOptions {
  billing: SubscriptionManager;
  auth: BillingAuth;
  verifier: WebhookVerifier;
  basePath: string;
  extraAllowlist: ReturnUrlAllowlist | null;
  roles: BillingRolePolicy;
  maxBodyBytes: number;
  logger: Logger;
  staff: BillingStaffCheck | null;
  /** The routes this handler serves (the dashboard's only with `staff`). */
  routes: readonly RouteDefinition[];
}

export const DEFAULT_BASE_PATH = '/v1';
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

const hasMethods =
  (...names: string[]) =>
  (value: unknown) =>
    typeof value === 'object' &&
    value !== null &&
    names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
// Segments of unreserved characters only, so the path is safe inside every framework's route syntax.
const BASE_PATH = /^\/$|^(\/[A-Za-z0-9._~-]+)+$/;
const roleList = z.array(z.enum(BILLING_ROLES)).min(1).readonly();

const handlerOptionsSchema = z.strictObject({
  billing: z.custom<SubscriptionManager>(
    hasMethods('createCheckout', 'handleWebhook', 'handleRedirect'),
    'billing must be a SubscriptionManager',
  ),
  auth: z.custom<BillingAuth>(
    hasMethods('authenticate', 'getRole'),
    'auth must have authenticate(request) and getRole(userId, workspaceId)',
  ),
  webhook: z.strictObject({
    username: z.string().min(1, 'webhook.username is required'),
    password: z.string().min(1, 'webhook.password is required'),
  }),
  basePath: z
    .string()
    .regex(
      BASE_PATH,
      'basePath must be "/" or like "/v1" or "/billing/v1" (no trailing slash; letters, digits, . _ ~ -)',
    )
    .default(DEFAULT_BASE_PATH),
  callbackUrl: z.url({ protocol: /^https?$/ }).optional(),
  redirectAllowlist: z.array(z.string().min(1)).min(1).readonly().optional(),
  roles: z
    .strictObject({
      manage: roleList.optional(),
      read: roleList.optional(),
      refund: z.array(z.enum(BILLING_ROLES)).readonly().optional(),
    })
    .optional(),
  maxBodyBytes: z
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(DEFAULT_MAX_BODY_BYTES),
  logger: z
    .custom<Logger>(hasMethods('debug', 'info', 'warn', 'error'), 'logger must have debug/info/warn/error')
    .optional(),
  staff: z.custom<BillingStaffCheck>(hasMethods('isStaff'), 'staff must have isStaff(identity, request)').optional(),
});

// The compiler keeps the interface and its schema in step (an option added to one only fails the build).
// biome-ignore lint/correctness/noUnusedVariables: a compile-time check, never used at runtime
type OptionsTiedToSchema = AssertTrue<SchemaMatches<typeof handlerOptionsSchema, BillingHandlerOptions>>;

/** Validates the options once, at construction; a mistake throws `InvalidOptionsError` (a `TypeError`) naming the option. */
export function resolveHandlerOptions(options: BillingHandlerOptions, mountPath = ''): ResolvedHandlerOptions {
  const o = parseOptions(handlerOptionsSchema, options, 'createBillingHandler');
  checkCallbackUrl(o.billing, o.callbackUrl);
  const logger = o.logger ?? silentLogger;
  const basePath = joinPaths(mountPath, o.basePath);
  return {
    billing: o.billing,
    auth: o.auth,
    verifier: createWebhookVerifier(o.webhook),
    basePath,
    extraAllowlist: o.redirectAllowlist ? buildAllowlist(o.billing, o.redirectAllowlist) : null,
    roles: {
      manage: o.roles?.manage ?? DEFAULT_BILLING_ROLE_POLICY.manage,
      read: o.roles?.read ?? DEFAULT_BILLING_ROLE_POLICY.read,
      refund: o.roles?.refund ?? DEFAULT_BILLING_ROLE_POLICY.refund,
    },
    maxBodyBytes: o.maxBodyBytes,
    logger,
    staff: o.staff ?? null,
    routes: o.staff ? [...ROUTES, ...dashboardRoutes] : ROUTES,
  };
}

/** `/billing` + `/v1` → `/billing/v1`; `''` + `/` → `''` (the root). */
export function joinPaths(prefix: string, path: string): string {
  return `${prefix.replace(/\/+$/, '')}${path === '/' ? '' : path}`;
}

function checkCallbackUrl(billing: SubscriptionManager, callbackUrl: string | undefined): void {
  if (callbackUrl === undefined || new URL(callbackUrl).href === new URL(billing.config.callbackUrl).href) return;
  throw new TypeError(
    `createBillingHandler options: callbackUrl "${callbackUrl}" differs from the SubscriptionManager's config.callbackUrl "${billing.config.callbackUrl}"; configure it once, on the manager, and leave it out here.`,
  );
}

/**
 * The manager tells PhonePe to send the payer to config.callbackUrl; if that path is not this handler's
 * callback route (mount point and basePath included), payers land on a 404 — and PhonePe's webhooks,
 * configured the same way, too. Only a warning: a proxy may add a prefix in front (allowed) or rewrite paths.
 */
export function warnIfCallbackOutside(billing: SubscriptionManager, fullBasePath: string, logger: Logger): void {
  const path = new URL(billing.config.callbackUrl).pathname;
  const expected = `${fullBasePath}/payments/callback`;
  if (!path.endsWith(expected)) {
    logger.warn(
      { callbackPath: path, expected },
      `config.callbackUrl (PHONEPE_CALLBACK_URL) path ${path} is not this handler's callback route ${expected}; payers returning from PhonePe will get a 404 — include the mount point (and use the same path for the webhook URL in PhonePe's dashboard)`,
    );
  }
}

function buildAllowlist(billing: SubscriptionManager, origins: readonly string[]): ReturnUrlAllowlist {
  try {
    return createReturnUrlAllowlist({ origins, allowHttpLocalhost: billing.config.allowHttpLocalhost });
  } catch (error) {
    throw new TypeError(`createBillingHandler options: redirectAllowlist: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

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
  ...payerRoutes,
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
 * `GET /subscriptions/usage`, `GET /subscriptions/usage/history`, `GET /plans`; with the `staff` option also the
 * operator dashboard, `GET /dashboard` and `GET /dashboard/data`. The bare handler matches the full request path, so behind a
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
    findRoute(ROUTES, basePath, upper, pathname); // throws the 404 / 405 the handler would answer
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
function findRoute(
  routes: readonly RouteDefinition[],
  basePath: string,
  method: string,
  pathname: string,
): Extract<RouteMatch, { kind: 'route' }> {
  const path = pathBelow(pathname, basePath);
  if (path === null) throw routeNotFound(method, pathname);
  const match = matchRoute(routes, path, method);
  if (match.kind === 'none') throw routeNotFound(method, pathname);
  if (match.kind === 'wrong_method') throw methodNotAllowed(method, pathname, match.allow);
  return match;
}

async function dispatch(deps: ResolvedHandlerOptions, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const match = findRoute(deps.routes, deps.basePath, request.method.toUpperCase(), url.pathname);
  const { route } = match;
  if (route.access === 'public' || route.access === 'staff-assets')
    return route.handle({ request, url, params: decodeParams(match.params), deps });
  if (route.access === 'staff') {
    // Staff routes are in deps.routes only when the staff option is set.
    if (!deps.staff) throw routeNotFound(request.method, url.pathname);
    const identity = await authorizeStaff(request, { auth: deps.auth, staff: deps.staff, logger: deps.logger });
    return route.handle({ request, url, params: decodeParams(match.params), deps, identity });
  }
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
