import type { z } from 'zod';

/** Which host a call goes to (see PhonePeBaseUrls). */
export type ApiHost = 'pg' | 'oauth';

/**
 * One logical PhonePe call, before auth, retries and parsing. Built by the client methods and
 * run by {@link ApiRequester}.
 */
export interface ApiCall<T> {
  /** Client method name, for events and errors (`pay`, `getOrderStatus`, `token`…). */
  operation: string;
  method: 'GET' | 'POST';
  host: ApiHost;
  /** Path without host or query; ids in it are already validated. */
  path: string;
  query?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  /** Parses a 2xx body; `undefined` means "any body, result is void" (cancel's 204). */
  schema: z.ZodType<T> | undefined;
  /** True for calls that may be re-sent after a transient failure (GETs, the token call). */
  safeToRetry: boolean;
  /** Sends `Authorization: O-Bearer …` and handles 401 by refreshing once. */
  authenticated: boolean;
  /** Keep the body out of PhonePeResponseError (the token response carries a token). */
  redactBody?: boolean;
}

/** An authenticated GET: no side effects, so retried on transient failures. */
export function pgGet<T>(
  operation: string,
  path: string,
  schema: z.ZodType<T>,
  query?: Record<string, string>,
): ApiCall<T> {
  return {
    operation,
    method: 'GET',
    host: 'pg',
    path,
    schema,
    safeToRetry: true,
    authenticated: true,
    ...(query === undefined ? {} : { query }),
  };
}

/**
 * An authenticated POST. Never retried by the requester: creating calls go through sendCreating
 * (status check instead of a re-send); cancel is safe to repeat but left to the caller.
 */
export function pgPost<T>(
  operation: string,
  path: string,
  json: unknown,
  schema: z.ZodType<T> | undefined,
): ApiCall<T> {
  return { operation, method: 'POST', host: 'pg', path, json, schema, safeToRetry: false, authenticated: true };
}
