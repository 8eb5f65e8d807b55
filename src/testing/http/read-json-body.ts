import { badRequest } from '../core/phonepe-emulator-error.js';

/** The request's JSON object body; malformed JSON or a non-object is 400 `BAD_REQUEST`. */
export async function readJsonBody(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.trim() === '') throw badRequest('The request body is empty; send a JSON object.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw badRequest('The request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

/** `true`/`false` query flags, case-insensitive (the Python SDK sends `True`/`False`, docs/phonepe-protocol.md#order-status). */
export function queryFlag(url: URL, name: string): boolean {
  return url.searchParams.get(name)?.toLowerCase() === 'true';
}
