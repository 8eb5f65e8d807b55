import { authHeaders, type TestUser } from './test-auth.js';

/** One HTTP exchange, framework-neutral. */
export interface HttpCall {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  json: any;
}

/** Sends one exchange through some transport (the bare handler, fetch to a server, Fastify inject, Hono app.request). */
export type Caller = (call: HttpCall) => Promise<HttpResult>;

export function toResult(status: number, headers: Headers, text: string): HttpResult {
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status, headers, text, json };
}

/** The bare web handler as a Caller. */
export function handlerCaller(
  handler: (request: Request) => Promise<Response>,
  origin = 'http://billing.test',
): Caller {
  return async ({ method, path, headers, body }) => {
    const response = await handler(
      new Request(`${origin}${path}`, { method, headers, body: body as BodyInit | undefined }),
    );
    return toResult(response.status, response.headers, await response.text());
  };
}

/** A server reachable over real HTTP as a Caller (redirects are not followed). */
export function fetchCaller(origin: string): Caller {
  return async ({ method, path, headers, body }) => {
    const response = await fetch(`${origin}${path}`, {
      method,
      headers,
      body: body as BodyInit | undefined,
      redirect: 'manual',
    });
    return toResult(response.status, response.headers, await response.text());
  };
}

export interface SendOptions {
  as?: TestUser | null;
  tenant?: string | null;
  /** Sent as pretty-printed JSON with `Content-Type: application/json`. */
  json?: unknown;
  /** Sent as-is (set the content type yourself). */
  body?: string | Uint8Array;
  headers?: Record<string, string>;
}

/** Calls billing routes under `prefix` as a test user of a workspace. */
export class ApiClient {
  constructor(
    readonly caller: Caller,
    readonly prefix: string,
  ) {}

  send(method: string, path: string, options: SendOptions = {}): Promise<HttpResult> {
    const headers: Record<string, string> = {
      ...authHeaders(options.as === undefined ? 'owner' : options.as, options.tenant ?? null),
    };
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json, null, 2);
      headers['content-type'] = 'application/json';
    }
    return this.caller({
      method,
      path: `${this.prefix}${path}`,
      headers: { ...headers, ...options.headers },
      ...(body === undefined ? {} : { body }),
    });
  }

  get(path: string, options: SendOptions = {}) {
    return this.send('GET', path, options);
  }

  post(path: string, options: SendOptions = {}) {
    return this.send('POST', path, options);
  }

  put(path: string, options: SendOptions = {}) {
    return this.send('PUT', path, options);
  }
}
