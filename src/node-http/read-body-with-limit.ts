import type { IncomingMessage } from 'node:http';
import { PayloadTooLargeError } from './payload-too-large-error.js';

/**
 * Reads the whole body of `req` into memory, refusing more than `limitBytes`. Checks a declared
 * `Content-Length` first so an oversized upload fails before a byte of it is buffered.
 */
export function readBodyWithLimit(req: IncomingMessage, limitBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    return Promise.reject(new PayloadTooLargeError(limitBytes, method, url));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        cleanup();
        req.pause();
        reject(new PayloadTooLargeError(limitBytes, method, url));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(new Uint8Array(Buffer.concat(chunks, size)));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    // 'close' before 'end' means the client went away mid-body.
    const onClose = () => {
      cleanup();
      reject(new Error(`The client closed the connection before sending the whole body of ${method} ${url}.`));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
