import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { incomingMessageToRequest, isPayloadTooLargeError, sendWebResponse } from '../../node-http/index.js';
import { EmulatorStartError } from '../errors.js';

/** How one emulator answers a request node:http could not read (the gateway's own error body). */
export type UnreadableRequestBody = (tooLarge: boolean) => unknown;

/** A web-standard handler served on node:http. */
export interface EmulatorServer {
  readonly port: number;
  readonly host: string;
  /** `http://<host>:<port>`, with a wildcard host shown as `localhost`. */
  readonly origin: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/**
 * Serves `handler` on node:http (shared by the PhonePe and Razorpay emulators): unreadable or too-large
 * bodies get `unreadable(...)` as JSON, a listen failure is an {@link EmulatorStartError} naming `name`.
 */
export async function serveEmulator(options: {
  name: string;
  handler: (request: Request) => Promise<Response>;
  port: number;
  host: string;
  maxBodyBytes?: number;
  unreadable: UnreadableRequestBody;
}): Promise<EmulatorServer> {
  const { handler, maxBodyBytes, unreadable } = options;
  const server = http.createServer((req, res) => void serve(req, res, handler, unreadable, maxBodyBytes));
  const port = await listen(server, options.port, options.host, options.name);
  return {
    port,
    host: options.host,
    origin: `http://${browsableHost(options.host)}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function serve(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  handler: (r: Request) => Promise<Response>,
  unreadable: UnreadableRequestBody,
  maxBodyBytes?: number,
) {
  let request: Request;
  try {
    request = await incomingMessageToRequest(req, res, { maxBodyBytes });
  } catch (error) {
    if (res.destroyed) return;
    const tooLarge = isPayloadTooLargeError(error);
    res
      .writeHead(tooLarge ? 413 : 400, { 'content-type': 'application/json', connection: 'close' })
      .end(JSON.stringify(unreadable(tooLarge)));
    return;
  }
  await sendWebResponse(res, await handler(request), { method: req.method });
}

function listen(server: http.Server, port: number, host: string, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new EmulatorStartError(
          `The ${name} emulator could not listen on ${host}:${port} (${error.code ?? error.message}); choose another port, or 0 for any free one.`,
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
