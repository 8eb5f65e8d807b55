import { isInvalidOptionsError } from '../../common/invalid-options.js';
import { isPhonePeEmulatorError } from '../errors.js';
import { type FaultDefaultAnswer, faultResponse, spoilAnswer, takeFaultFor } from '../http/create-emulator-handler.js';
import { CONTROL_BASE_PATH, createRouteTable, jsonResponse } from '../http/routing.js';
import { razorpayApiRoutes, razorpayCheckoutRoutes } from './razorpay-api-routes.js';
import { razorpayControlRoutes } from './razorpay-control-routes.js';
import type { RazorpayCore } from './razorpay-core.js';
import { RazorpayEmulatorError, isRazorpayEmulatorError } from './razorpay-emulator-error.js';
import { createRazorpayAct, type RazorpayEmulatorControls } from './razorpay-emulator-controls.js';

const errorCodeFor = (status: number) => (status >= 500 ? 'SERVER_ERROR' : 'BAD_REQUEST_ERROR');

/** An injected status without a body answers Razorpay's error body for it. */
const razorpayFaultDefault: FaultDefaultAnswer = (status) => ({
  body: JSON.stringify(
    new RazorpayEmulatorError(
      status,
      errorCodeFor(status),
      status >= 500 ? 'The server encountered an error. The incident has been reported to admins.' : 'Injected fault',
    ).toBody(),
  ),
});

const answer = (error: RazorpayEmulatorError) => jsonResponse(error.toBody(), error.status);

/**
 * The Razorpay emulator as one web-standard handler: injected faults (never on `/__emulator`; an
 * `after` fault spoils the answer once the route has acted), refunds that fell due, then routing.
 * Every API error is Razorpay's `{error: {...}}` body; never a stack trace.
 */
export function createRazorpayHandler(
  core: RazorpayCore,
  controls: RazorpayEmulatorControls,
): (request: Request) => Promise<Response> {
  const act = createRazorpayAct(core);
  const routes = createRouteTable([...razorpayCheckoutRoutes, ...razorpayApiRoutes]);
  const controlRoutes = createRouteTable(razorpayControlRoutes(() => controls));
  return async (request) => {
    const method = request.method.toUpperCase();
    try {
      const url = new URL(request.url);
      if (url.pathname === CONTROL_BASE_PATH || url.pathname.startsWith(`${CONTROL_BASE_PATH}/`)) {
        const match = controlRoutes.match(method, url.pathname);
        if (match.kind === 'found') return await match.route.handle({ request, url, params: match.params });
        return notRouted(method, url, match.kind === 'wrong-method' ? match.allowed : undefined);
      }
      const fault = takeFaultFor(core.faults, request, url);
      if (fault && !fault.after) {
        const faulted = await faultResponse(fault, request, razorpayFaultDefault);
        if (faulted) return faulted;
      }
      core.sweep();
      const match = routes.match(method, url.pathname);
      if (match.kind !== 'found')
        return notRouted(method, url, match.kind === 'wrong-method' ? match.allowed : undefined);
      const response = await match.route.handle({ request, url, params: match.params, core, act });
      return fault?.after ? await spoilAnswer(fault, request, response, razorpayFaultDefault) : response;
    } catch (error) {
      if (isRazorpayEmulatorError(error)) return answer(error);
      if (isPhonePeEmulatorError(error))
        return answer(new RazorpayEmulatorError(error.status, errorCodeFor(error.status), error.message));
      if (isInvalidOptionsError(error))
        return answer(new RazorpayEmulatorError(400, 'BAD_REQUEST_ERROR', error.message));
      core.config.logger.error(
        { method, error: error instanceof Error ? error.message : String(error) },
        'Razorpay emulator route failed',
      );
      return answer(new RazorpayEmulatorError(500, 'SERVER_ERROR', 'The emulator failed to handle this request.'));
    }
  };
}

// Razorpay answers an unknown URL with a BAD_REQUEST_ERROR body; the emulator uses 404 (405 for a wrong method).
function notRouted(method: string, url: URL, allowed?: string[]): Response {
  if (allowed)
    return jsonResponse(
      new RazorpayEmulatorError(
        405,
        'BAD_REQUEST_ERROR',
        `${method} is not allowed on ${url.pathname}; use ${allowed.join(' or ')}`,
      ).toBody(),
      405,
      { allow: allowed.join(', ') },
    );
  return jsonResponse(
    new RazorpayEmulatorError(404, 'BAD_REQUEST_ERROR', 'The requested URL was not found on the server.').toBody(),
    404,
  );
}
