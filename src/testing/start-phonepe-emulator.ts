import type { AssertTrue, SchemaMatches } from '../common/invalid-options.js';
import { z } from 'zod';
import { createEmulatorControls } from './controls/create-emulator-controls.js';
import type { PhonePeEmulatorControls } from './controls/emulator-controls.js';
import { createEmulatorCore } from './core/emulator-core.js';
import { coreOptionsShape, parseOptions, toCoreConfig, type EmulatorCoreOptions } from './emulator-options.js';
import { createEmulatorHandler } from './http/create-emulator-handler.js';
import { serveEmulator } from './http/node-server.js';

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
  const host = parsed.host ?? '127.0.0.1';
  const server = await serveEmulator({
    name: 'PhonePe',
    handler,
    port: parsed.port ?? 0,
    host,
    maxBodyBytes: parsed.maxBodyBytes,
    unreadable: (tooLarge) => ({
      code: tooLarge ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST',
      message: tooLarge ? 'The request body is too large.' : 'The request could not be read.',
    }),
  });
  const port = server.port;
  url = parsed.publicUrl?.replace(/\/+$/, '') ?? server.origin;
  core.publicUrl = url;
  const emulator = Object.create(controls) as PhonePeEmulator;
  return Object.defineProperties(emulator, {
    port: { value: port, enumerable: true },
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

// The compiler keeps the interface and its schema in step (an option added to one only fails the build).
// biome-ignore lint/correctness/noUnusedVariables: a compile-time check, never used at runtime
type OptionsTiedToSchema = AssertTrue<SchemaMatches<typeof serverOptionsSchema, PhonePeEmulatorOptions>>;
