import { parseOptions } from '../../common/invalid-options.js';
import { serveEmulator } from '../http/node-server.js';
import { RazorpayCore } from './razorpay-core.js';
import { RazorpayEmulatorError } from './razorpay-emulator-error.js';
import { createRazorpayControls, type RazorpayEmulatorControls } from './razorpay-emulator-controls.js';
import {
  type RazorpayEmulatorOptions,
  razorpayEmulatorOptionsSchema,
  toRazorpayCoreConfig,
} from './razorpay-emulator-options.js';
import { createRazorpayHandler } from './razorpay-handler.js';

/** A running Razorpay emulator: the controls plus its server. */
export interface RazorpayEmulator extends RazorpayEmulatorControls {
  readonly port: number;
  readonly host: string;
  /** The web-standard handler behind the server (mount it elsewhere if you like). */
  readonly handler: (request: Request) => Promise<Response>;
  /** Stops the server, drops open connections and cancels pending webhook retries. */
  close(): Promise<void>;
}

/**
 * Starts a local Razorpay on node:http: the `/v1` REST API (orders, payments, refunds, customers, UPI
 * Autopay tokens, recurring payments) with HTTP Basic auth, a `checkout.js` stand-in with a page a
 * browser can click, signed webhooks with retries, faults, and controls under `/__emulator`.
 *
 * @example
 * const emu = await startRazorpayEmulator({ webhook: { url: 'http://127.0.0.1:3000/payments/webhook/razorpay' } });
 * const auth = `Basic ${btoa(`${emu.credentials.keyId}:${emu.credentials.keySecret}`)}`;
 * const order = await (await fetch(`${emu.baseUrl}/orders`, {
 *   method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' },
 *   body: JSON.stringify({ amount: 49_900, currency: 'INR', receipt: 'inv_1' }),
 * })).json();
 * await emu.payOrder(order.id); // as the payer would in Checkout
 * await emu.close();
 */
export async function startRazorpayEmulator(options: RazorpayEmulatorOptions = {}): Promise<RazorpayEmulator> {
  const parsed = parseOptions(razorpayEmulatorOptionsSchema, options, 'startRazorpayEmulator');
  const core = new RazorpayCore(toRazorpayCoreConfig(parsed));
  let url = '';
  const controls = createRazorpayControls(core, () => url);
  const handler = createRazorpayHandler(core, controls);
  const host = parsed.host ?? '127.0.0.1';
  const server = await serveEmulator({
    name: 'Razorpay',
    handler,
    port: parsed.port ?? 0,
    host,
    maxBodyBytes: parsed.maxBodyBytes,
    unreadable: (tooLarge) =>
      new RazorpayEmulatorError(
        tooLarge ? 413 : 400,
        'BAD_REQUEST_ERROR',
        tooLarge ? 'The request body is too large.' : 'The request could not be read.',
      ).toBody(),
  });
  url = parsed.publicUrl?.replace(/\/+$/, '') ?? server.origin;
  core.publicUrl = url;
  const emulator = Object.create(controls) as RazorpayEmulator;
  return Object.defineProperties(emulator, {
    port: { value: server.port, enumerable: true },
    host: { value: host, enumerable: true },
    handler: { value: handler },
    close: {
      value: () => {
        core.webhooks.close();
        return server.close();
      },
    },
  });
}
