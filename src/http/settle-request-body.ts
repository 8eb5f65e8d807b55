import { wasBodyReadToEnd } from './read-body.js';

/**
 * Makes an answer safe for the connection it goes out on. When the handler answers before reading
 * the request body to its end — a 401, 403, 404 or 405 to a request with a body, a 413 — the rest of
 * the body is still on the socket. A server that leaves it there either reads it as the next request
 * or, like `@hono/node-server`, destroys the connection about 500 ms later, under whatever request
 * the keep-alive connection carries by then (behind a proxy: another user's). So an unread body that
 * fits in `limitBytes` is read and dropped here, keeping the connection usable; anything else (over
 * the limit, cut off, unreadable) gets `Connection: close` on the answer.
 *
 * @example
 * return settleRequestBody(request, await dispatch(request), deps.maxBodyBytes);
 */
export async function settleRequestBody(request: Request, response: Response, limitBytes: number): Promise<Response> {
  if (request.body === null || wasBodyReadToEnd(request)) return response;
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  const fits = !(declared > limitBytes);
  if (!request.bodyUsed && fits && (await drain(request.body, limitBytes))) return response;
  return withConnectionClose(response);
}

/** Reads and drops a body of at most `limitBytes`; false (and the stream cancelled) when it is bigger or fails. */
async function drain(body: ReadableStream<Uint8Array>, limitBytes: number): Promise<boolean> {
  const reader = body.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      total += value.byteLength;
      if (total > limitBytes) {
        await reader.cancel().catch(() => {});
        return false;
      }
    }
  } catch {
    return false;
  }
}

function withConnectionClose(response: Response): Response {
  try {
    response.headers.set('connection', 'close');
    return response;
  } catch {
    // Immutable headers (Response.redirect, Response.error): copy the response instead.
    const headers = new Headers(response.headers);
    headers.set('connection', 'close');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}
