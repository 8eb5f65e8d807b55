import type { ServerResponse } from 'node:http';

/** Options for {@link sendWebResponse}. */
export interface SendWebResponseOptions {
  /** The request method; a `HEAD` answer gets headers only. @default 'GET' */
  method?: string;
}

const NO_BODY_STATUSES = new Set([204, 205, 304]);

/**
 * Writes a web-standard `Response` to a Node `ServerResponse`: status, every header (each
 * `Set-Cookie` separately), and the body streamed with back-pressure. Stops reading the body if
 * the client disconnects. A network-error response (`Response.error()`, `type === 'error'`)
 * destroys the socket without an answer — the way to simulate a dropped connection.
 *
 * @example
 * const response = await handler(await incomingMessageToRequest(req, res));
 * await sendWebResponse(res, response, { method: req.method });
 */
export async function sendWebResponse(
  res: ServerResponse,
  response: Response,
  options: SendWebResponseOptions = {},
): Promise<void> {
  if (response.type === 'error') {
    res.socket?.destroy();
    res.destroy();
    return;
  }
  writeHead(res, response);
  const method = (options.method ?? 'GET').toUpperCase();
  if (!response.body || method === 'HEAD' || NO_BODY_STATUSES.has(response.status)) {
    await response.body?.cancel();
    await endResponse(res);
    return;
  }
  await pipeBody(res, response.body);
}

function writeHead(res: ServerResponse, response: Response): void {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
}

async function pipeBody(res: ServerResponse, body: ReadableStream<Uint8Array>): Promise<void> {
  const reader = body.getReader();
  let clientGone = false;
  const onClose = () => {
    clientGone = true;
    reader.cancel().catch(() => {});
  };
  res.once('close', onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || clientGone) break;
      if (!res.write(value)) await waitForDrain(res);
    }
  } finally {
    res.off('close', onClose);
    reader.releaseLock();
  }
  if (!clientGone) await endResponse(res);
}

function waitForDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

function endResponse(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed || res.writableFinished) {
      resolve();
      return;
    }
    // 'finish' never comes if the client has gone; 'close' always does.
    const done = () => {
      res.off('finish', done);
      res.off('close', done);
      resolve();
    };
    res.once('finish', done);
    res.once('close', done);
    res.end();
  });
}
