import http from 'node:http';

/** One request as node:http sends it: any method token, any body on any method, latin1 header bytes. */
export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** `false` for a fresh connection; a keep-alive Agent to reuse connections. @default false */
  agent?: http.Agent | false;
  /** Send the headers, wait this long, then the body (to keep a request in flight on its connection). */
  holdBodyMs?: number;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The parsed JSON body, or undefined when it is not JSON. */
  json: any;
  /** Whether the request went out on a connection an earlier request had used (keep-alive). */
  reusedSocket: boolean;
}

/**
 * Sends one request over real HTTP with node:http — unlike fetch, it takes TRACE, PROPFIND, bodies on
 * GET and latin1 header values, as a proxy or an attacker may send them. Rejects on a transport error.
 */
export function sendRaw(origin: string, request: RawRequest): Promise<RawResponse> {
  const headers = { ...request.headers };
  const framed = Object.keys(headers).some((name) => /^(content-length|transfer-encoding)$/i.test(name));
  // node:http frames a body on GET, DELETE, OPTIONS or TRACE only when told its length.
  if (request.body !== undefined && !framed && !request.holdBodyMs)
    headers['content-length'] = String(Buffer.byteLength(request.body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${origin}${request.path}`,
      { method: request.method, headers, agent: request.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, reusedSocket: req.reusedSocket });
        });
      },
    );
    req.on('error', reject);
    if (request.holdBodyMs) {
      req.flushHeaders();
      setTimeout(() => req.end(request.body), request.holdBodyMs);
    } else {
      req.end(request.body);
    }
  });
}
