/**
 * A JSON response. Billing answers are never cacheable (they describe money and access), so every
 * one carries `Cache-Control: no-store`.
 */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}
