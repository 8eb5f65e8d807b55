import { MAX_JSON_DEPTH, jsonNestsDeeperThan } from '../common/json-nesting.js';
import { describeUnstorable, findUnstorableValue } from '../common/unstorable-text.js';
import { BillingHttpError } from './billing-http-error.js';

const decoder = new TextDecoder('utf-8', { fatal: true });
// Requests whose body was read to its end here (see `wasBodyReadToEnd`).
const readToEnd = new WeakSet<Request>();
// application/json or any application/*+json, with at most a charset parameter.
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/**
 * Reads the whole body, counting bytes as they stream in and stopping at `limitBytes` (a declared
 * Content-Length over the limit is refused before reading; a chunked body is counted, never trusted).
 */
export async function readBodyBytes(request: Request, limitBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limitBytes) throw payloadTooLargeError(limitBytes);
  if (!request.body) {
    readToEnd.add(request);
    return new Uint8Array(0);
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (error) {
      throw new BillingHttpError(
        'INVALID_BODY',
        'The request body could not be read to the end; send the request again.',
        { cause: error },
      );
    }
    if (chunk.done) {
      readToEnd.add(request);
      break;
    }
    total += chunk.value.byteLength;
    if (total > limitBytes) {
      await reader.cancel().catch(() => {});
      throw payloadTooLargeError(limitBytes);
    }
    chunks.push(chunk.value);
  }
  return concat(chunks, total);
}

/** True when {@link readBodyBytes} read `request`'s body to its end (false after a 413 or a read error). */
export function wasBodyReadToEnd(request: Request): boolean {
  return readToEnd.has(request);
}

/**
 * Reads a JSON object body. An empty body reads as `{}` (routes whose fields are all optional accept
 * no body at all); anything else must be `application/json` in UTF-8, nest at most `MAX_JSON_DEPTH`
 * levels (checked on the text, before parsing) and parse to an object whose strings a database can
 * hold (no NUL character, no lone surrogate; checked here so every route refuses them the same way).
 */
export async function readJsonObject(request: Request, limitBytes: number): Promise<Record<string, unknown>> {
  const bytes = await readBodyBytes(request, limitBytes);
  if (bytes.byteLength === 0) return {};
  checkContentType(request.headers.get('content-type'));
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch (error) {
    throw new BillingHttpError('INVALID_JSON', 'The request body is not valid UTF-8; send UTF-8 encoded JSON.', {
      cause: error,
    });
  }
  if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) throw jsonTooDeepError('The request body');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BillingHttpError(
      'INVALID_JSON',
      `The request body is not valid JSON (${(error as Error).message}); send a JSON object.`,
      { cause: error },
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BillingHttpError('INVALID_JSON', 'The request body must be a JSON object, e.g. {"plan_id": "pro"}.');
  }
  const unstorable = findUnstorableValue(value);
  if (unstorable) {
    throw new BillingHttpError(
      'INVALID_CHARACTERS',
      `${describeUnstorable(unstorable)}; remove it and send the request again.`,
      { details: { field: unstorable.path, problem: unstorable.problem } },
    );
  }
  return value as Record<string, unknown>;
}

/** The 400 for JSON nested deeper than `MAX_JSON_DEPTH` (`what`: "The request body"). */
export function jsonTooDeepError(what: string): BillingHttpError {
  return new BillingHttpError(
    'JSON_TOO_DEEP',
    `${what} nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep; send flatter JSON.`,
    { details: { max_depth: MAX_JSON_DEPTH } },
  );
}

function checkContentType(header: string | null): void {
  const [type = '', ...params] = (header ?? '').split(';').map((part) => part.trim());
  const charset = params
    .find((p) => /^charset=/i.test(p))
    ?.slice(8)
    .replace(/"/g, '')
    .toLowerCase();
  if (JSON_TYPE.test(type) && (charset === undefined || charset === 'utf-8' || charset === 'utf8')) return;
  throw new BillingHttpError(
    'UNSUPPORTED_MEDIA_TYPE',
    `The request body must be sent as Content-Type: application/json (UTF-8), not ${header ? `"${header.slice(0, 100)}"` : 'without a Content-Type'}.`,
  );
}

/** The 413 error for a body over `limitBytes` (adapters use it when their framework stops the body first). */
export function payloadTooLargeError(limitBytes: number): BillingHttpError {
  return new BillingHttpError(
    'PAYLOAD_TOO_LARGE',
    `The request body is larger than the ${limitBytes}-byte limit; send a smaller body.`,
    { details: { limit_bytes: limitBytes } },
  );
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
