import { isBillingError } from '../billing/errors.js';
import { PROMETHEUS_CONTENT_TYPE } from '../metrics/prometheus-text.js';

/** What a metrics scrape route serves: a manager's `prometheusMetrics()`. */
export interface MetricsSource {
  prometheusMetrics(): Promise<string>;
}

/** Options of {@link createMetricsHandler}. */
export interface MetricsHandlerOptions {
  /**
   * Whether this request may read the metrics: check a bearer token your Prometheus sends
   * (`authorization: Bearer …`, its `authorization` scrape setting) or a staff session. Without it every
   * request is refused: the figures (revenue movement, failure rates) are not for the public.
   */
  authorize?: (request: Request) => boolean | Promise<boolean>;
}

/** A web-standard request handler serving the Prometheus text exposition. */
export type MetricsHandler = (request: Request) => Promise<Response>;

const text = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(`${body}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });

/**
 * The metrics of `billing` for Prometheus to scrape: `GET` (or `HEAD`) answers `200` with the text format
 * 0.0.4 (`content-type: text/plain; version=0.0.4`), once `authorize(request)` said yes. Refused: `401`
 * (with `www-authenticate: Bearer`) when the request carries no `authorization` header, else `403`; every
 * request when `authorize` was not given. Mount it at any path, next to the billing handler
 * (docs/production.md#scraping).
 *
 * @example
 * const metrics = createMetricsHandler(billing, {
 *   authorize: (request) => request.headers.get('authorization') === `Bearer ${process.env.METRICS_TOKEN}`,
 * });
 * app.get('/metrics', (c) => metrics(c.req.raw)); // Hono
 */
export function createMetricsHandler(billing: MetricsSource, options: MetricsHandlerOptions = {}): MetricsHandler {
  const { authorize } = options;
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return text(405, 'Method not allowed: scrape with GET.', { allow: 'GET, HEAD' });
    if (!authorize) return text(403, 'Forbidden: createMetricsHandler was given no authorize function.');
    let allowed: boolean;
    try {
      allowed = (await authorize(request)) === true;
    } catch {
      return text(500, 'The authorize function of the metrics handler failed.');
    }
    if (!allowed)
      return request.headers.has('authorization')
        ? text(403, 'Forbidden.')
        : text(401, 'Unauthorized: send the metrics token.', { 'www-authenticate': 'Bearer realm="metrics"' });
    let body: string;
    try {
      body = await billing.prometheusMetrics();
    } catch (error) {
      if (isBillingError(error) && error.code === 'INVALID_INPUT') return text(404, error.message);
      return text(500, 'Metrics could not be collected.');
    }
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' },
    });
  };
}
