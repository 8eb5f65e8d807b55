import { z } from 'zod';
import { faultSpecSchema } from '../controls/create-emulator-controls.js';
import type {
  EmulatorFaultControls,
  EmulatorWebhookControls,
  PhonePeEmulatorControls,
} from '../controls/emulator-controls.js';
import { OUTCOMES, PAYER_PAYMENT_MODES } from '../core/records.js';
import { badRequest } from '../errors.js';
import { CONTROL_BASE_PATH as C, jsonResponse, type RequestContext, type Route, type RouteContext } from './routing.js';

/** A control body: optional JSON object, validated; bad input is a 400 `BAD_REQUEST`. */
export async function controlBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const text = await request.text();
  let parsed: unknown = {};
  try {
    if (text.trim()) parsed = JSON.parse(text);
  } catch {
    throw badRequest('The control request body is not valid JSON.');
  }
  const result = schema.safeParse(parsed);
  if (!result.success)
    throw badRequest(
      `Invalid control request: ${result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
    );
  return result.data;
}

const scope = { merchantId: z.string().min(1).optional() };
const failure = { ...scope, errorCode: z.string().min(1).optional(), detailedErrorCode: z.string().min(1).optional() };
const paymentMode = z.enum(PAYER_PAYMENT_MODES).optional();

type Handler<E> = (controls: E, context: RequestContext) => Promise<unknown> | unknown;

/** Wraps a control handler: JSON result, 200. `E` is the emulator's controls (PhonePe's or Razorpay's). */
export function control<E = PhonePeEmulatorControls>(
  method: string,
  path: string,
  run: Handler<E>,
  controls: () => E,
): Route<RequestContext> {
  return {
    method,
    path: `${C}${path}`,
    handle: async (context) => jsonResponse((await run(controls(), context)) ?? { ok: true }),
  };
}

/** State, time, outcome, orders, refunds and customer actions under `/__emulator`. */
export function stateControlRoutes(controls: () => PhonePeEmulatorControls): Route[] {
  const id = (c: RequestContext) => c.params.id!;
  const merchantQuery = (c: RequestContext) => ({ merchantId: c.url.searchParams.get('merchantId') ?? undefined });
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
    control(
      'POST',
      '/outcome',
      async (e, c) => {
        const { outcome, merchantId } = await controlBody(
          c.request,
          z.strictObject({ outcome: z.enum(OUTCOMES), ...scope }),
        );
        e.setOutcome(outcome, { merchantId });
      },
      controls,
    ),
    control('GET', '/orders/:id', (e, c) => e.getOrder(id(c), merchantQuery(c)), controls),
    control(
      'POST',
      '/orders/:id/complete',
      async (e, c) => e.completeOrder(id(c), await controlBody(c.request, z.strictObject({ ...scope, paymentMode }))),
      controls,
    ),
    control(
      'POST',
      '/orders/:id/fail',
      async (e, c) => e.failOrder(id(c), await controlBody(c.request, z.strictObject(failure))),
      controls,
    ),
    control(
      'POST',
      '/orders/:id/fail-attempt',
      async (e, c) => e.failAttempt(id(c), await controlBody(c.request, z.strictObject({ ...failure, paymentMode }))),
      controls,
    ),
    control('GET', '/subscriptions/:id', (e, c) => e.getSubscription(id(c), merchantQuery(c)), controls),
    control('GET', '/refunds/:id', (e, c) => e.getRefund(id(c), merchantQuery(c)), controls),
    control(
      'POST',
      '/refunds/:id/complete',
      async (e, c) => e.completeRefund(id(c), await controlBody(c.request, z.strictObject(scope))),
      controls,
    ),
    control(
      'POST',
      '/refunds/:id/fail',
      async (e, c) => e.failRefund(id(c), await controlBody(c.request, z.strictObject(failure))),
      controls,
    ),
    control(
      'POST',
      '/customer/:id/pause',
      async (e, c) =>
        e.customer.pause(
          id(c),
          await controlBody(c.request, z.strictObject({ ...scope, until: z.number().int().positive().optional() })),
        ),
      controls,
    ),
    control(
      'POST',
      '/customer/:id/unpause',
      async (e, c) => e.customer.unpause(id(c), await controlBody(c.request, z.strictObject(scope))),
      controls,
    ),
    control(
      'POST',
      '/customer/:id/revoke',
      async (e, c) => e.customer.revoke(id(c), await controlBody(c.request, z.strictObject(scope))),
      controls,
    ),
  ];
}

// Over HTTP a RegExp cannot be sent, so a pattern comes as `pathRegex` (its source) instead of `path`.
const faultBody = faultSpecSchema.extend({
  path: z.string().startsWith('/').optional(),
  /** A regular expression source, for patterns a glob cannot say. */
  pathRegex: z.string().min(1).optional(),
});

function toRegExp(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch {
    throw badRequest(`pathRegex "${source}" is not a valid regular expression.`);
  }
}

/** The part of an emulator's controls the shared webhook and fault routes need. */
export interface WebhookAndFaultControls {
  readonly webhooks: EmulatorWebhookControls;
  readonly faults: EmulatorFaultControls;
}

/** Webhook controls and faults under `/__emulator` (shared by the PhonePe and Razorpay emulators). */
export function webhookAndFaultControlRoutes(controls: () => WebhookAndFaultControls): Route<RequestContext>[] {
  return [
    control('GET', '/webhooks', (e) => e.webhooks.deliveries, controls),
    control('DELETE', '/webhooks', (e) => e.webhooks.clear(), controls),
    control(
      'POST',
      '/webhooks/duplicate-next',
      async (e, c) =>
        e.webhooks.duplicateNext(
          (await controlBody(c.request, z.strictObject({ count: z.number().int().min(1).optional() }))).count,
        ),
      controls,
    ),
    control('POST', '/webhooks/hold', (e) => e.webhooks.hold(), controls),
    control(
      'POST',
      '/webhooks/release',
      async (e, c) =>
        e.webhooks.release(
          (await controlBody(c.request, z.strictObject({ order: z.enum(['original', 'reverse']).optional() }))).order,
        ),
      controls,
    ),
    control('POST', '/webhooks/:id/resend', (e, c) => e.webhooks.resend(c.params.id!), controls),
    control('GET', '/faults', (e) => e.faults.list().map((f) => ({ ...f, path: String(f.path) })), controls),
    control(
      'POST',
      '/faults',
      async (e, c) => {
        const { pathRegex, path, ...rest } = await controlBody(c.request, faultBody);
        if (!path === !pathRegex) throw badRequest('Give exactly one of path (a glob) or pathRegex.');
        const fault = e.faults.add({ ...rest, path: pathRegex ? toRegExp(pathRegex) : path! });
        return { ...fault, path: String(fault.path) };
      },
      controls,
    ),
    control('DELETE', '/faults', (e) => e.faults.clear(), controls),
    control('DELETE', '/faults/:id', (e, c) => ({ removed: e.faults.remove(c.params.id!) }), controls),
  ];
}
