import type { EmulatorCore } from '../core/emulator-core.js';
import type { MerchantRecord } from '../core/records.js';
import { badRequest, type PhonePeEmulatorError, unauthorized } from '../errors.js';

/** What every route handler gets, whichever emulator it belongs to. */
export interface RequestContext {
  request: Request;
  url: URL;
  params: Record<string, string>;
}

/** What a PhonePe route handler gets. */
export interface RouteContext extends RequestContext {
  core: EmulatorCore;
}

/** One route: `path` segments starting with `:` capture a parameter. `C` is the emulator's context. */
export interface Route<C = RouteContext> {
  method: string;
  path: string;
  handle(context: C): Response | Promise<Response>;
}

export type RouteMatch<R = Route> =
  | { kind: 'found'; route: R; params: Record<string, string> }
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'not-found' };

function matchPath(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i += 1) {
    const expected = pattern[i]!;
    const actual = segments[i]!;
    if (expected.startsWith(':')) {
      if (actual === '') return undefined;
      try {
        params[expected.slice(1)] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}

/** A tiny router: exact segments and `:params`, 405 when only the method is wrong. */
export function createRouteTable<R extends { method: string; path: string } = Route>(routes: readonly R[]) {
  const compiled = routes.map((route) => ({ route, pattern: route.path.split('/') }));
  return {
    match(method: string, pathname: string): RouteMatch<R> {
      const segments = pathname.split('/');
      const allowed: string[] = [];
      for (const { route, pattern } of compiled) {
        const params = matchPath(pattern, segments);
        if (!params) continue;
        if (route.method === method) return { kind: 'found', route, params };
        allowed.push(route.method);
      }
      return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'not-found' };
    },
  };
}

/** PG and OAuth share the sandbox prefix (docs/phonepe-protocol.md#hosts). */
export const PG_BASE_PATH = '/apis/pg-sandbox';

/** The hosted checkout page, shaped like PhonePe's sandbox `…/transact/uat_v2?token=…` (docs/phonepe-protocol.md#sandbox). */
export const HOSTED_PAGE_PATH = '/transact/uat_v2';

/** The stand-in for PhonePe's `checkout.js`, at the path PhonePe serves its own from (docs/phonepe-protocol.md#paypage). */
export const CHECKOUT_SCRIPT_PATH = '/web/bundle/checkout.js';

/** Control routes for tests and people. */
export const CONTROL_BASE_PATH = '/__emulator';

/** A JSON answer. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/**
 * PhonePe's error shapes (docs/phonepe-protocol.md#errors): gateway errors `{errorCode, message}` with `x-api-exception-code`;
 * business errors `{code, message}` plus `success: false` where PhonePe's docs show it.
 */
export function errorResponse(error: PhonePeEmulatorError): Response {
  if (error.options.gateway) {
    return jsonResponse({ errorCode: error.code, message: error.message }, error.status, {
      'x-api-exception-code': error.code,
    });
  }
  const body =
    error.options.success === false
      ? { success: false, code: error.code, message: error.message }
      : { code: error.code, message: error.message };
  return jsonResponse(body, error.status);
}

/** The request's JSON object body; malformed JSON or a non-object is 400 `BAD_REQUEST`. */
export async function readJsonBody(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.trim() === '') throw badRequest('The request body is empty; send a JSON object.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw badRequest('The request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

/** `true`/`false` query flags, case-insensitive (the Python SDK sends `True`/`False`, docs/phonepe-protocol.md#order-status). */
export function queryFlag(url: URL, name: string): boolean {
  return url.searchParams.get(name)?.toLowerCase() === 'true';
}

/**
 * The merchant behind `Authorization: O-Bearer <access_token>` (docs/phonepe-protocol.md#oauth). A missing, unknown or
 * expired (virtual clock) token is PhonePe's gateway 401 `PR004`.
 */
export function authenticateMerchant(core: EmulatorCore, request: Request): MerchantRecord {
  const header = request.headers.get('authorization') ?? '';
  const match = /^O-Bearer (\S+)$/.exec(header.trim());
  const token = match ? core.state.tokens.get(match[1]!) : undefined;
  if (!token || token.expiresAt <= core.clock.now()) throw unauthorized();
  const merchant = core.config.merchants.find((m) => m.merchantId === token.merchantId);
  if (!merchant) throw unauthorized();
  return merchant;
}
