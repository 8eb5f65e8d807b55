import { setTimeout as sleep } from 'node:timers/promises';
import type { EmulatorCore } from '../core/emulator-core.js';

const DEFAULT_BODIES: Record<number, Record<string, string>> = {
  400: { code: 'BAD_REQUEST', message: 'Bad Request' },
  401: { errorCode: 'PR004', message: 'Unauthorized' },
  429: { code: 'TOO_MANY_REQUESTS', message: 'Too many requests' },
  500: { code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong' },
  502: { code: 'BAD_GATEWAY', message: 'Bad Gateway' },
  503: { code: 'SERVICE_UNAVAILABLE', message: 'Service Unavailable' },
  504: { code: 'GATEWAY_TIMEOUT', message: 'Gateway Timeout' },
};

/**
 * Applies the first matching injected fault: waits `delayMs` (real time; a client that gives up
 * first just sees its own timeout), drops the connection, or answers `status`/`body`. Returns
 * undefined when the request should go on to normal routing (no fault, or a delay-only fault).
 */
export async function faultResponse(core: EmulatorCore, request: Request, url: URL): Promise<Response | undefined> {
  const fault = core.faults.take(request.method.toUpperCase(), url.pathname);
  if (!fault) return undefined;
  if (fault.delayMs) {
    try {
      await sleep(fault.delayMs, undefined, { signal: request.signal });
    } catch {
      return Response.error(); // the client went away during the delay
    }
  }
  if (fault.dropConnection) return Response.error();
  if (fault.status === undefined && fault.body === undefined) return undefined;
  const status = fault.status ?? 500;
  const body = fault.body === undefined ? JSON.stringify(DEFAULT_BODIES[status] ?? { code: `HTTP_${status}`, message: 'Injected fault' }) : typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(status === 401 && fault.body === undefined ? { 'x-api-exception-code': 'PR004' } : {}), ...fault.headers };
  return new Response(status === 204 || status === 304 ? null : body, { status, headers });
}
