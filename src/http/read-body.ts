import { BillingHttpError } from './billing-http-error.js';

const decoder = new TextDecoder('utf-8', { fatal: true });
// application/json or any application/*+json, with at most a charset parameter.
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/**
 * Reads the whole body, counting bytes as they stream in and stopping at `limitBytes` (a declared
 * Content-Length over the limit is refused before reading; a chunked body is counted, never trusted).
 */
export async function readBodyBytes(request: Request, limitBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limitBytes) throw payloadTooLargeError(limitBytes);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (error) {
      throw new BillingHttpError('INVALID_BODY', 'The request body could not be read to the end; send the request again.', { cause: error });
    }
    if (chunk.done) break;
    total += chunk.value.byteLength;
    if (total > limitBytes) {
      await reader.cancel().catch(() => {});
      throw payloadTooLargeError(limitBytes);
    }
    chunks.push(chunk.value);
  }
  return concat(chunks, total);
}

/**
 * Reads a JSON object body. An empty body reads as `{}` (routes whose fields are all optional accept
 * no body at all); anything else must be `application/json` in UTF-8 and parse to an object.
 */
export async function readJsonObject(request: Request, limitBytes: number): Promise<Record<string, unknown>> {
  const bytes = await readBodyBytes(request, limitBytes);
  if (bytes.byteLength === 0) return {};
  checkContentType(request.headers.get('content-type'));
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch (error) {
    throw new BillingHttpError('INVALID_JSON', 'The request body is not valid UTF-8; send UTF-8 encoded JSON.', { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BillingHttpError('INVALID_JSON', `The request body is not valid JSON (${(error as Error).message}); send a JSON object.`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BillingHttpError('INVALID_JSON', 'The request body must be a JSON object, e.g. {"plan_id": "pro"}.');
  }
  return value as Record<string, unknown>;
}

function checkContentType(header: string | null): void {
  const [type = '', ...params] = (header ?? '').split(';').map((part) => part.trim());
  const charset = params.find((p) => /^charset=/i.test(p))?.slice(8).replace(/"/g, '').toLowerCase();
  if (JSON_TYPE.test(type) && (charset === undefined || charset === 'utf-8' || charset === 'utf8')) return;
  throw new BillingHttpError('UNSUPPORTED_MEDIA_TYPE', `The request body must be sent as Content-Type: application/json (UTF-8), not ${header ? `"${header.slice(0, 100)}"` : 'without a Content-Type'}.`);
}

/** The 413 error for a body over `limitBytes` (adapters use it when their framework stops the body first). */
export function payloadTooLargeError(limitBytes: number): BillingHttpError {
  return new BillingHttpError('PAYLOAD_TOO_LARGE', `The request body is larger than the ${limitBytes}-byte limit; send a smaller body.`, { details: { limit_bytes: limitBytes } });
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
