import type { PhonePeEmulatorControls } from '../controls/emulator-controls.js';
import type { EmulatorCore } from '../core/emulator-core.js';
import { isPhonePeEmulatorError } from '../core/phonepe-emulator-error.js';
import { stateChanged } from '../core/emulator-core.js';
import { sweep } from '../core/sweep.js';
import { EmulatorOptionsError } from '../emulator-options-error.js';
import { faultResponse, spoilAnswer, takeFault, type TakenFault } from './fault-response.js';
import { errorResponse, jsonResponse } from './json-response.js';
import { createRouteTable } from './route-table.js';
import { checkoutRoutes } from './routes/checkout-routes.js';
import { stateControlRoutes } from './routes/control-routes.js';
import { webhookAndFaultControlRoutes } from './routes/control-webhook-fault-routes.js';
import { hostedPageRoutes } from './routes/hosted-page-routes.js';
import { oauthRoutes } from './routes/oauth-routes.js';
import { CONTROL_BASE_PATH } from './routes/paths.js';
import { refundRoutes } from './routes/refund-routes.js';
import { subscriptionRoutes } from './routes/subscription-routes.js';

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
      if (error instanceof EmulatorOptionsError)
        return jsonResponse({ code: 'BAD_REQUEST', message: error.message }, 400);
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
