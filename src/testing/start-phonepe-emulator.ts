import type { AssertTrue, SchemaMatches } from '../common/invalid-options.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { incomingMessageToRequest, isPayloadTooLargeError, sendWebResponse } from '../node-http/index.js';
import { createEmulatorControls } from './controls/create-emulator-controls.js';
import type { PhonePeEmulatorControls } from './controls/emulator-controls.js';
import { createEmulatorCore } from './core/emulator-core.js';
import { coreOptionsShape, parseOptions, toCoreConfig, type EmulatorCoreOptions } from './emulator-options.js';
import { EmulatorStartError } from './errors.js';
import { createEmulatorHandler } from './http/create-emulator-handler.js';

/** Options for {@link startPhonePeEmulator}. */
export interface PhonePeEmulatorOptions extends EmulatorCoreOptions {
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** The origin browsers and clients should use (behind a proxy or in a container). @default `http://<host>:<port>` */
  publicUrl?: string;
  /** Largest request body accepted. @default 1048576 */
  maxBodyBytes?: number;
}

/** A running emulator: the controls plus its server. */
export interface PhonePeEmulator extends PhonePeEmulatorControls {
  readonly port: number;
  readonly host: string;
  /** The web-standard handler behind the server (mount it elsewhere if you like). */
  readonly handler: (request: Request) => Promise<Response>;
  /** Stops the server, drops open connections and cancels pending webhook retries. */
  close(): Promise<void>;
}

const serverOptionsSchema = z.strictObject({
  ...coreOptionsShape,
  port: z.number().int().min(0).max(65_535).optional(),
  host: z.string().min(1).optional(),
  publicUrl: z.url().optional(),
  maxBodyBytes: z.number().int().positive().optional(),
});

/**
 * Starts a local PhonePe v2 sandbox on node:http: OAuth, checkout, refunds, both autopay families,
 * a hosted checkout page, webhooks to your endpoint, and controls under `/__emulator`.
 *
 * @example
 * const emu = await startPhonePeEmulator({ webhook: { url: 'http://127.0.0.1:3000/v1/payments/webhook' } });
 * const client = new PhonePeClient({ ...defaultEmulatorCredentials, env: 'SANDBOX', baseUrls: emu.baseUrls });
 * // … pay, then: await emu.completeOrder(merchantOrderId);
 * await emu.close();
 */
export async function startPhonePeEmulator(options: PhonePeEmulatorOptions = {}): Promise<PhonePeEmulator> {
  const parsed = parseOptions(serverOptionsSchema, options, 'startPhonePeEmulator');
  const core = createEmulatorCore(toCoreConfig(parsed));
  let url = '';
  const controls = createEmulatorControls(core, () => url);
  const handler = createEmulatorHandler(core, controls);
  const server = http.createServer((req, res) => void serve(req, res, handler, parsed.maxBodyBytes));
  const host = parsed.host ?? '127.0.0.1';
  const port = await listen(server, parsed.port ?? 0, host);
  url = parsed.publicUrl?.replace(/\/+$/, '') ?? `http://${browsableHost(host)}:${port}`;
  core.publicUrl = url;
  const emulator = Object.create(controls) as PhonePeEmulator;
  return Object.defineProperties(emulator, {
    port: { value: port, enumerable: true },
    host: { value: host, enumerable: true },
    handler: { value: handler },
    close: { value: () => close(server, () => core.webhooks.close()) },
  });
}

async function serve(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  handler: (r: Request) => Promise<Response>,
  maxBodyBytes?: number,
) {
  let request: Request;
  try {
    request = await incomingMessageToRequest(req, res, { maxBodyBytes });
  } catch (error) {
    if (res.destroyed) return;
    const tooLarge = isPayloadTooLargeError(error);
    const body = JSON.stringify({
      code: tooLarge ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST',
      message: tooLarge ? 'The request body is too large.' : 'The request could not be read.',
    });
    res.writeHead(tooLarge ? 413 : 400, { 'content-type': 'application/json', connection: 'close' }).end(body);
    return;
  }
  await sendWebResponse(res, await handler(request), { method: req.method });
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new EmulatorStartError(
          `The PhonePe emulator could not listen on ${host}:${port} (${error.code ?? error.message}); choose another port, or 0 for any free one.`,
          { cause: error },
        ),
      );
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function browsableHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

function close(server: http.Server, stopWebhooks: () => void): Promise<void> {
  stopWebhooks();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

// The compiler keeps the interface and its schema in step (an option added to one only fails the build).
// biome-ignore lint/correctness/noUnusedVariables: a compile-time check, never used at runtime
type OptionsTiedToSchema = AssertTrue<SchemaMatches<typeof serverOptionsSchema, PhonePeEmulatorOptions>>;
