import { parseOptions } from '../../common/invalid-options.js';
import type { AssertTrue, SchemaMatches } from '../../common/invalid-options.js';
import { loadMsw, type MswRequestHandler } from '../phonepe-handlers.js';
import { RazorpayCore } from './razorpay-core.js';
import { createRazorpayControls, type RazorpayEmulatorControls } from './razorpay-emulator-controls.js';
import {
  type RazorpayEmulatorOptions,
  razorpayEmulatorOptionsSchema,
  toRazorpayCoreConfig,
} from './razorpay-emulator-options.js';
import { createRazorpayHandler } from './razorpay-handler.js';

/** Razorpay's API host (https://razorpay.com/docs/api/), what {@link razorpayHandlers} intercepts by default. */
export const RAZORPAY_API_ORIGIN = 'https://api.razorpay.com';

/** Options for {@link razorpayHandlers}: the emulator's, without the server ones, plus the origin to intercept. */
export interface RazorpayHandlersOptions
  extends Omit<RazorpayEmulatorOptions, 'port' | 'host' | 'publicUrl' | 'maxBodyBytes'> {
  /** The origin to intercept (paths as on Razorpay: `/v1/...`). @default 'https://api.razorpay.com' */
  baseUrl?: string;
}

/** What {@link razorpayHandlers} returns: handlers for `setupServer(...)` and the emulator's controls. */
export interface RazorpayHandlers {
  handlers: MswRequestHandler[];
  emulator: RazorpayEmulatorControls & {
    /** The web-standard handler the msw handler delegates to. */
    readonly handler: (request: Request) => Promise<Response>;
    /** Cancels pending webhook retries. */
    close(): void;
  };
}

const handlersOptionsSchema = razorpayEmulatorOptionsSchema
  .omit({ port: true, host: true, publicUrl: true, maxBodyBytes: true })
  .extend({ baseUrl: razorpayEmulatorOptionsSchema.shape.publicUrl });

/**
 * msw handlers backed by the Razorpay emulator's state machine (no port), intercepting
 * `https://api.razorpay.com` by default so a client with its production base URL reaches them. The
 * control API is at `${origin}/__emulator`. Webhooks still go to `webhook.url` over the real network
 * (the default fetch bypasses msw).
 *
 * @example
 * const { handlers, emulator } = razorpayHandlers();
 * const server = setupServer(...handlers);
 * server.listen({ onUnhandledRequest: 'error' });
 * // fetch('https://api.razorpay.com/v1/orders', …) now reaches the emulator; emulator.payOrder(id) pays.
 */
export function razorpayHandlers(options: RazorpayHandlersOptions = {}): RazorpayHandlers {
  const parsed = parseOptions(handlersOptionsSchema, options, 'razorpayHandlers');
  const msw = loadMsw('razorpayHandlers');
  const origin = new URL(parsed.baseUrl ?? RAZORPAY_API_ORIGIN).origin;
  const bypassingFetch: typeof fetch = (input, init) => fetch(msw.bypass(new Request(input, init)));
  const { baseUrl: _origin, ...coreOptions } = parsed;
  const core = new RazorpayCore(
    toRazorpayCoreConfig({
      ...coreOptions,
      webhook: { ...coreOptions.webhook, fetch: coreOptions.webhook?.fetch ?? bypassingFetch },
    }),
  );
  core.publicUrl = origin;
  const controls = createRazorpayControls(core, () => origin);
  const handler = createRazorpayHandler(core, controls);
  const emulator = Object.create(controls) as RazorpayHandlers['emulator'];
  Object.defineProperties(emulator, {
    handler: { value: handler },
    close: { value: () => core.webhooks.close() },
  });
  return { handlers: [msw.http.all(`${origin}/*`, ({ request }) => handler(request))], emulator };
}

// The compiler keeps the interface and its schema in step (an option added to one only fails the build).
type OptionsTiedToSchema = AssertTrue<SchemaMatches<typeof handlersOptionsSchema, RazorpayHandlersOptions>>;
