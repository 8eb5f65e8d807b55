import type { IncomingMessage, ServerResponse } from 'node:http';
import { PayloadTooLargeError } from './payload-too-large-error.js';
import { readBodyWithLimit } from './read-body-with-limit.js';
import { RequestBodyAlreadyReadError } from './request-body-already-read-error.js';

/** Options for {@link incomingMessageToRequest}. */
export interface IncomingMessageToRequestOptions {
  /**
   * The largest body read from the socket, in bytes; a bigger one throws `PayloadTooLargeError`.
   * @default 1_048_576 (1 MiB)
   */
  maxBodyBytes?: number;
  /**
   * The raw body when another layer already read the stream (Express `express.raw()`,
   * a Fastify buffer parser). A parsed object is not accepted: signatures need the exact bytes.
   */
  body?: Uint8Array | string;
  /**
   * The origin (`https://shop.example`) to build `request.url` with. Defaults to
   * `http(s)://<Host header>`; forwarded headers are not trusted unless you pass them in here.
   */
  origin?: string;
}

/** 1 MiB: far above any PhonePe webhook or API body. */
export const DEFAULT_MAX_BODY_BYTES = 1_048_576;

const BODYLESS_METHODS = new Set(['GET', 'HEAD']);

/**
 * Converts a Node `IncomingMessage` into a web-standard `Request`, so one
 * `(request: Request) => Promise<Response>` handler serves node:http, Express and Fastify.
 * Keeps repeated headers as separate values, reads the body (up to `maxBodyBytes`), and aborts
 * `request.signal` when the client disconnects before the response is finished.
 *
 * @example
 * http.createServer(async (req, res) => {
 *   const request = await incomingMessageToRequest(req, res);
 *   await sendWebResponse(res, await handler(request));
 * });
 */
export async function incomingMessageToRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: IncomingMessageToRequestOptions = {},
): Promise<Request> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = requestUrl(req, options.origin);
  const signal = abortSignalForClientClose(res);
  const body = BODYLESS_METHODS.has(method) ? undefined : await requestBody(req, method, options);
  return new Request(url, {
    method,
    headers: requestHeaders(req),
    body: body && body.length > 0 ? body : undefined,
    signal,
  });
}

function requestUrl(req: IncomingMessage, origin: string | undefined): URL {
  const path = req.url ?? '/';
  const base = origin ?? `${isEncrypted(req) ? 'https' : 'http'}://${req.headers.host ?? fallbackHost(req)}`;
  // Concatenate rather than resolve: `new URL('//evil.example/x', base)` would change the host.
  return new URL(`${base.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`);
}

function isEncrypted(req: IncomingMessage): boolean {
  return Boolean((req.socket as { encrypted?: boolean }).encrypted);
}

function fallbackHost(req: IncomingMessage): string {
  const address = req.socket.localAddress ?? 'localhost';
  const host = address.includes(':') ? `[${address}]` : address;
  return `${host}:${req.socket.localPort ?? 80}`;
}

function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  // rawHeaders keeps every occurrence (Node folds some duplicates in req.headers).
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    if (name.startsWith(':')) continue; // HTTP/2 pseudo-headers are not headers
    headers.append(name, req.rawHeaders[i + 1] as string);
  }
  return headers;
}

function abortSignalForClientClose(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished)
      controller.abort(new Error('The client closed the connection before the response was sent.'));
  });
  return controller.signal;
}

async function requestBody(
  req: IncomingMessage,
  method: string,
  options: IncomingMessageToRequestOptions,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (options.body !== undefined) {
    // Copied so the Request owns plain ArrayBuffer-backed bytes whatever the caller passed.
    const bytes =
      typeof options.body === 'string' ? new TextEncoder().encode(options.body) : new Uint8Array(options.body);
    if (bytes.length > limit) throw new PayloadTooLargeError(limit, method, req.url ?? '/');
    return bytes;
  }
  // A parser already drained the stream: reading again would yield nothing, a silent mismatch.
  if (req.readableEnded) throw new RequestBodyAlreadyReadError(method, req.url ?? '/');
  return readBodyWithLimit(req, limit);
}
