import { setTimeout as sleep } from 'node:timers/promises';
import type { PhonePeEmulatorControls } from '../controls/emulator-controls.js';
import { type EmulatorCore, stateChanged } from '../core/emulator-core.js';
import type { FaultRecord, FaultRegistry } from '../core/fault-registry.js';
import { sweep } from '../core/sweep.js';
import { isInvalidOptionsError } from '../../common/invalid-options.js';
import { isPhonePeEmulatorError } from '../errors.js';
import { checkoutRoutes, oauthRoutes, refundRoutes, subscriptionRoutes } from './merchant-routes.js';
import { stateControlRoutes, webhookAndFaultControlRoutes } from './control-routes.js';
import { hostedPageRoutes } from './hosted-page-routes.js';
import { CONTROL_BASE_PATH, createRouteTable, errorResponse, jsonResponse } from './routing.js';

const DEFAULT_BODIES: Record<number, Record<string, string>> = {
  400: { code: 'BAD_REQUEST', message: 'Bad Request' },
  401: { errorCode: 'PR004', message: 'Unauthorized' },
  429: { code: 'TOO_MANY_REQUESTS', message: 'Too many requests' },
  500: { code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong' },
  502: { code: 'BAD_GATEWAY', message: 'Bad Gateway' },
  503: { code: 'SERVICE_UNAVAILABLE', message: 'Service Unavailable' },
  504: { code: 'GATEWAY_TIMEOUT', message: 'Gateway Timeout' },
};

/** What an injected status answers when the fault gives no body: the gateway's own error body and headers. */
export type FaultDefaultAnswer = (status: number) => { body: string; headers?: Record<string, string> };

/** PhonePe's bodies for injected statuses (401 also carries `x-api-exception-code: PR004`). */
export const phonePeFaultDefault: FaultDefaultAnswer = (status) => ({
  body: JSON.stringify(DEFAULT_BODIES[status] ?? { code: `HTTP_${status}`, message: 'Injected fault' }),
  headers: status === 401 ? { 'x-api-exception-code': 'PR004' } : undefined,
});

/** A fault taken for a request: answered before routing, or (`after`) applied to the real answer. */
export type TakenFault = FaultRecord;

/** The first fault matching the request, counted as used; undefined when none matches. */
export function takeFault(core: EmulatorCore, request: Request, url: URL): TakenFault | undefined {
  return takeFaultFor(core.faults, request, url);
}

/** {@link takeFault} on any emulator's registry. */
export function takeFaultFor(faults: FaultRegistry, request: Request, url: URL): TakenFault | undefined {
  return faults.take(request.method.toUpperCase(), url.pathname);
}

/**
 * Applies a fault taken before routing: waits `delayMs` (real time; a client that gives up first just
 * sees its own timeout), drops the connection, or answers `status`/`body`. Returns undefined when the
 * request should go on to normal routing (a delay-only fault).
 */
export async function faultResponse(
  fault: TakenFault,
  request: Request,
  defaults: FaultDefaultAnswer = phonePeFaultDefault,
): Promise<Response | undefined> {
  if (!(await waitOut(fault, request))) return Response.error();
  if (fault.dropConnection) return Response.error();
  if (fault.status === undefined && fault.body === undefined) return undefined;
  return injectedAnswer(fault, fault.status ?? 500, defaults);
}

/**
 * Spoils the real answer of a request the emulator has already acted on (`after: true`): delays it,
 * drops it, replaces it with `status`/`body`, or cuts its body in half (`truncate`).
 */
export async function spoilAnswer(
  fault: TakenFault,
  request: Request,
  answer: Response,
  defaults: FaultDefaultAnswer = phonePeFaultDefault,
): Promise<Response> {
  if (!(await waitOut(fault, request))) return Response.error();
  if (fault.dropConnection) return Response.error();
  if (fault.truncate) {
    const text = await answer.text();
    return new Response(text.slice(0, Math.floor(text.length / 2)), { status: answer.status, headers: answer.headers });
  }
  if (fault.status === undefined && fault.body === undefined) return answer;
  return injectedAnswer(fault, fault.status ?? 500, defaults);
}

async function waitOut(fault: TakenFault, request: Request): Promise<boolean> {
  if (!fault.delayMs) return true;
  try {
    await sleep(fault.delayMs, undefined, { signal: request.signal });
    return true;
  } catch {
    return false; // the client went away during the delay
  }
}

function injectedAnswer(fault: TakenFault, status: number, defaults: FaultDefaultAnswer): Response {
  const fallback = fault.body === undefined ? defaults(status) : undefined;
  const body = fallback ? fallback.body : typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...fallback?.headers,
    ...fault.headers,
  };
  return new Response(status === 204 || status === 304 ? null : body, { status, headers });
}

/**
 * The emulator as one web-standard handler, `(request: Request) => Promise<Response>`: the
 * node:http server and the msw handlers both call it. Order: injected faults (never on
 * `/__emulator`; an `after` fault spoils the answer once the route has acted), then due time-based
 * transitions, then routing. Unknown path → 404 JSON, wrong
 * method → 405 JSON, a bug → 500 JSON; never a stack trace or an HTML error for an API route.
 */
export function createEmulatorHandler(
  core: EmulatorCore,
  controls: PhonePeEmulatorControls,
): (request: Request) => Promise<Response> {
  const routes = createRouteTable([
    ...oauthRoutes,
    ...checkoutRoutes,
    ...refundRoutes,
    ...subscriptionRoutes,
    ...hostedPageRoutes,
    ...stateControlRoutes(() => controls),
    ...webhookAndFaultControlRoutes(() => controls),
  ]);
  return async (request) => {
    const method = request.method.toUpperCase();
    try {
      const url = new URL(request.url);
      let spoil: TakenFault | undefined;
      if (url.pathname !== CONTROL_BASE_PATH && !url.pathname.startsWith(`${CONTROL_BASE_PATH}/`)) {
        const fault = takeFault(core, request, url);
        if (fault?.after) spoil = fault;
        else if (fault) {
          const faulted = await faultResponse(fault, request);
          if (faulted) return faulted;
        }
        sweep(core);
      }
      const match = routes.match(method, url.pathname);
      if (match.kind === 'not-found')
        return jsonResponse({ code: 'NOT_FOUND', message: `No route for ${method} ${url.pathname}` }, 404);
      if (match.kind === 'wrong-method') {
        return jsonResponse(
          {
            code: 'METHOD_NOT_ALLOWED',
            message: `${method} is not allowed on ${url.pathname}; use ${match.allowed.join(' or ')}`,
          },
          405,
          { allow: match.allowed.join(', ') },
        );
      }
      // Anything but a read may change when something falls due (see sweep's cache).
      const mutating = (method !== 'GET' && method !== 'HEAD') || url.pathname.startsWith(CONTROL_BASE_PATH);
      if (mutating) stateChanged(core);
      const answer = await match.route.handle({ request, url, params: match.params, core });
      if (mutating) stateChanged(core);
      return spoil ? await spoilAnswer(spoil, request, answer) : answer;
    } catch (error) {
      if (isPhonePeEmulatorError(error)) return errorResponse(error);
      if (isInvalidOptionsError(error)) return jsonResponse({ code: 'BAD_REQUEST', message: error.message }, 400);
      core.logger.error(
        { method, error: error instanceof Error ? error.message : String(error) },
        'PhonePe emulator route failed',
      );
      return jsonResponse(
        { code: 'INTERNAL_SERVER_ERROR', message: 'The emulator failed to handle this request.' },
        500,
      );
    }
  };
}
