import { z } from 'zod';
import { control, controlBody, webhookAndFaultControlRoutes } from '../http/control-routes.js';
import type { RequestContext, Route } from '../http/routing.js';
import type { RazorpayEmulatorControls } from './razorpay-emulator-controls.js';

const empty = z.strictObject({});

/**
 * The Razorpay emulator's control API under `/__emulator`: the same operations as the handle's
 * methods, plus the webhook and fault routes shared with the PhonePe emulator.
 */
export function razorpayControlRoutes(controls: () => RazorpayEmulatorControls): Route<RequestContext>[] {
  const id = (c: RequestContext) => c.params.id!;
  const on = (
    path: string,
    run: (e: RazorpayEmulatorControls, id: string, c: RequestContext) => Promise<unknown>,
  ): Route<RequestContext> => control('POST', path, (e, c) => run(e, id(c), c), controls);
  // A POST whose body, if any, must be an empty object.
  const bare = (path: string, run: (e: RazorpayEmulatorControls, id: string) => Promise<unknown>) =>
    on(path, async (e, i, c) => {
      await controlBody(c.request, empty);
      return run(e, i);
    });
  return [
    control('GET', '/state', (e) => e.state(), controls),
    control('POST', '/reset', (e) => e.reset(), controls),
    control('GET', '/time', (e) => ({ now: e.now() }), controls),
    control(
      'POST',
      '/time/advance',
      async (e, c) => ({
        now: await e.advanceTime((await controlBody(c.request, z.strictObject({ ms: z.number().int().min(0) }))).ms),
      }),
      controls,
    ),
    control('GET', '/orders/:id', (e, c) => e.getOrder(id(c)), controls),
    control('GET', '/payments/:id', (e, c) => e.getPayment(id(c)), controls),
    control('GET', '/refunds/:id', (e, c) => e.getRefund(id(c)), controls),
    control('GET', '/tokens/:id', (e, c) => e.getToken(id(c)), controls),
    on('/orders/:id/pay', async (e, i, c) =>
      e.payOrder(i, await controlBody(c.request, z.strictObject({ method: z.string().min(1).optional() }))),
    ),
    on('/orders/:id/fail', async (e, i, c) =>
      e.failOrder(
        i,
        await controlBody(
          c.request,
          z.strictObject({
            code: z.string().min(1).optional(),
            description: z.string().min(1).optional(),
            source: z.string().min(1).optional(),
            step: z.string().min(1).optional(),
            reason: z.string().min(1).optional(),
          }),
        ),
      ),
    ),
    bare('/payments/:id/capture', (e, i) => e.capturePayment(i)),
    bare('/refunds/:id/process', (e, i) => e.processRefund(i)),
    bare('/refunds/:id/fail', (e, i) => e.failRefund(i)),
    bare('/tokens/:id/confirm', (e, i) => e.confirmToken(i)),
    on('/tokens/:id/reject', async (e, i, c) =>
      e.rejectToken(i, await controlBody(c.request, z.strictObject({ reason: z.string().min(1).optional() }))),
    ),
    bare('/tokens/:id/cancel', (e, i) => e.cancelToken(i)),
    bare('/tokens/:id/pause', (e, i) => e.pauseToken(i)),
    bare('/tokens/:id/resume', (e, i) => e.resumeToken(i)),
    ...webhookAndFaultControlRoutes(controls),
  ];
}
