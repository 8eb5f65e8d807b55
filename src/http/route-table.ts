import { BillingError } from '../billing/errors.js';
import type { ResolvedHandlerOptions } from './create-billing-handler.js';
import { BillingHttpError } from './errors.js';
import type { BillingIdentity, RequestActor } from './access.js';
import { ORDER_ID } from './request.js';

/** What a route handler gets. */
export interface RouteCall {
  request: Request;
  url: URL;
  params: Record<string, string>;
  deps: ResolvedHandlerOptions;
}

/** What a route that needs a signed-in workspace member gets. */
export interface MemberCall extends RouteCall {
  actor: RequestActor;
}

/** What a route for the host's staff gets (`access: 'staff'`): who they are. */
export interface StaffCall extends RouteCall {
  identity: BillingIdentity;
}

type Method = 'GET' | 'POST' | 'PUT';

/** One route: `path` is relative to the base path; `:name` segments are parameters. */
export type RouteDefinition =
  | { method: Method; path: string; access: 'public'; handle(call: RouteCall): Promise<Response> }
  | { method: Method; path: string; access: 'read' | 'manage' | 'refund'; handle(call: MemberCall): Promise<Response> }
  /** Staff only (the `staff` handler option says who; 401 / 403 otherwise). */
  | { method: Method; path: string; access: 'staff'; handle(call: StaffCall): Promise<Response> }
  /** The dashboard's static shell and assets: no identity, no data; they exist only with the `staff` option. */
  | { method: Method; path: string; access: 'staff-assets'; handle(call: RouteCall): Promise<Response> };

export type RouteMatch =
  | { kind: 'route'; route: RouteDefinition; params: Record<string, string> }
  | { kind: 'wrong_method'; allow: string[] }
  | { kind: 'none' };

/** Finds the route for a path (relative to the base path) and method; a known path with another method gives its `Allow` list. */
export function matchRoute(routes: readonly RouteDefinition[], path: string, method: string): RouteMatch {
  const segments = path.split('/').slice(1);
  const allow: string[] = [];
  for (const route of routes) {
    const params = matchPath(route.path, segments);
    if (!params) continue;
    if (route.method === method) return { kind: 'route', route, params };
    if (!allow.includes(route.method)) allow.push(route.method);
  }
  return allow.length > 0 ? { kind: 'wrong_method', allow } : { kind: 'none' };
}

function matchPath(pattern: string, segments: string[]): Record<string, string> | null {
  const parts = pattern.split('/').slice(1);
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const segment = segments[i] as string;
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return null;
  }
  return params;
}

/**
 * Percent-decodes and checks path parameters (only `order_id` exists: a merchant order id,
 * docs/phonepe-protocol.md#conventions). A bad one is `INVALID_INPUT` (400), never a lookup.
 */
export function decodeParams(raw: Record<string, string>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    let decoded: string | null;
    try {
      decoded = decodeURIComponent(value);
    } catch {
      decoded = null;
    }
    if (decoded === null || !ORDER_ID.test(decoded)) {
      throw new BillingError(
        'INVALID_INPUT',
        `${name} in the path must be 1–63 characters of letters, digits, _ and -.`,
        { details: { fields: [{ field: name, message: 'invalid' }] } },
      );
    }
    params[name] = decoded;
  }
  return params;
}

/** The path below `basePath` (`/plans` for `/v1/plans`), or null when the request is outside it. One trailing slash is ignored. */
export function pathBelow(pathname: string, basePath: string): string | null {
  let rest: string;
  if (basePath === '') rest = pathname;
  else if (pathname === basePath) rest = '/';
  else if (pathname.startsWith(`${basePath}/`)) rest = pathname.slice(basePath.length);
  else return null;
  return rest.length > 1 && rest.endsWith('/') ? rest.slice(0, -1) : rest;
}

/** 404 for a path with no billing route. */
export function routeNotFound(method: string, pathname: string): BillingHttpError {
  return new BillingHttpError(
    'NOT_FOUND',
    `No billing route matches ${method} ${pathname.slice(0, 200)}; see the endpoint list in docs/http-api.md.`,
  );
}

/** 405 with the methods the path does accept. */
export function methodNotAllowed(method: string, pathname: string, allow: string[]): BillingHttpError {
  return new BillingHttpError(
    'METHOD_NOT_ALLOWED',
    `${method} is not allowed on ${pathname.slice(0, 200)}; use ${allow.join(' or ')}.`,
    { headers: { allow: allow.join(', ') } },
  );
}
