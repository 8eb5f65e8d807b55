import type { AssertTrue, SchemaMatches } from '../common/invalid-options.js';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { createEmulatorControls } from './controls/create-emulator-controls.js';
import type { PhonePeEmulatorControls } from './controls/emulator-controls.js';
import { createEmulatorCore } from './core/emulator-core.js';
import { coreOptionsShape, parseOptions, toCoreConfig, type EmulatorCoreOptions } from './emulator-options.js';
import { MswNotInstalledError } from './errors.js';
import { createEmulatorHandler } from './http/create-emulator-handler.js';

/**
 * PhonePe's sandbox host (docs/phonepe-protocol.md#hosts), what {@link phonePeHandlers} intercepts by default: a client
 * configured for `SANDBOX` reaches the handlers without a base-URL override.
 *
 * @example
 * await fetch(`${PHONEPE_SANDBOX_ORIGIN}/__emulator/state`); // inside msw
 */
export const PHONEPE_SANDBOX_ORIGIN = 'https://api-preprod.phonepe.com';

/** Options for {@link phonePeHandlers}. */
export interface PhonePeHandlersOptions extends EmulatorCoreOptions {
  /** The origin to intercept (paths as on the real sandbox: `/apis/pg-sandbox/...`). @default 'https://api-preprod.phonepe.com' */
  baseUrl?: string;
}

/**
 * An msw request handler (msw's `HttpHandler`). Typed loosely on purpose: msw is an optional
 * peer, and naming its types here would make every user of `phonepe-billing/testing` need them.
 */
export type MswRequestHandler = any;

/** What {@link phonePeHandlers} returns: handlers for `setupServer(...)` and the emulator's controls. */
export interface PhonePeHandlers {
  handlers: MswRequestHandler[];
  emulator: PhonePeEmulatorControls & {
    /** The web-standard handler the msw handler delegates to. */
    readonly handler: (request: Request) => Promise<Response>;
    /** Cancels pending webhook retries. */
    close(): void;
  };
}

/** The part of msw the handler factories use. */
export interface MswModule {
  http: { all(path: string, resolver: (info: { request: Request }) => Promise<Response>): unknown };
  bypass(input: Request): Request;
}

const handlersOptionsSchema = z.strictObject({ ...coreOptionsShape, baseUrl: z.url().optional() });

/** Loads msw lazily (an optional peer); `who` names the factory in the error when it is missing. */
export function loadMsw(who = 'phonePeHandlers'): MswModule {
  try {
    // Lazy and synchronous: importing phonepe-billing/testing must work without msw installed.
    return createRequire(import.meta.url)('msw') as MswModule;
  } catch (error) {
    throw new MswNotInstalledError(
      `${who} needs the optional peer dependency msw (2.x); install it with \`npm install --save-dev msw@2\`.`,
      { cause: error },
    );
  }
}

/**
 * msw handlers backed by the emulator's state machine (no port): a host app's own tests can run
 * their PhonePe calls in-process. Webhooks still go to `webhook.url`, over the real network
 * (the default fetch bypasses msw); pass `webhook.fetch` to deliver them in-process instead.
 *
 * @example
 * const { handlers, emulator } = phonePeHandlers({ webhook: { url: 'http://127.0.0.1:3000/v1/payments/webhook' } });
 * const server = setupServer(...handlers);
 * server.listen({ onUnhandledRequest: 'error' });
 * const client = new PhonePeClient({ ...defaultEmulatorCredentials, env: 'SANDBOX' }); // hits the handlers
 */
export function phonePeHandlers(options: PhonePeHandlersOptions = {}): PhonePeHandlers {
  const parsed = parseOptions(handlersOptionsSchema, options, 'phonePeHandlers');
  const msw = loadMsw();
  const origin = new URL(parsed.baseUrl ?? PHONEPE_SANDBOX_ORIGIN).origin;
  const bypassingFetch: typeof fetch = (input, init) => fetch(msw.bypass(new Request(input, init)));
  const core = createEmulatorCore(toCoreConfig(parsed, bypassingFetch), origin);
  const controls = createEmulatorControls(core, () => origin);
  const handler = createEmulatorHandler(core, controls);
  const emulator = Object.create(controls) as PhonePeHandlers['emulator'];
  Object.defineProperties(emulator, {
    handler: { value: handler },
    close: { value: () => core.webhooks.close() },
  });
  return { handlers: [msw.http.all(`${origin}/*`, ({ request }) => handler(request))], emulator };
}

// The compiler keeps the interface and its schema in step (an option added to one only fails the build).
// biome-ignore lint/correctness/noUnusedVariables: a compile-time check, never used at runtime
type OptionsTiedToSchema = AssertTrue<SchemaMatches<typeof handlersOptionsSchema, PhonePeHandlersOptions>>;
