import { z } from 'zod';
import type { PhonePeEmulatorControls } from '../../controls/emulator-controls.js';
import { badRequest } from '../../core/phonepe-emulator-error.js';
import type { Route } from '../route-table.js';
import { control, controlBody } from './control-routes.js';
import { faultSpecSchema } from '../../controls/fault-spec-schema.js';

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

/** Webhook controls and faults under `/__emulator`. */
export function webhookAndFaultControlRoutes(controls: () => PhonePeEmulatorControls): Route[] {
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
