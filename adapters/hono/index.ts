// phonepe-billing/hono — the billing routes as a Hono app. Translation only: statuses and bodies come
// from createBillingHandler (src/http), the same as on every other adapter.
import { Hono, type Context } from 'hono';
import { createBillingHandler, type BillingHandlerOptions } from '../../src/http/index.js';

/** Options of {@link phonePeBillingApp}: those of `createBillingHandler`. */
export type PhonePeBillingAppOptions = BillingHandlerOptions;

const BODYLESS = new Set(['GET', 'HEAD']);

/**
 * The billing API as a Hono app to mount with `app.route(prefix, billingApp)`: `app.route('/billing', …)`
 * + `basePath` (default `/v1`) serves `/billing/v1/...`; `app.route('/', …)` serves `/v1/...`. Only
 * paths under it are claimed. The body is streamed to the handler (counted against `maxBodyBytes`); if a
 * host middleware already read it (`c.req.json()`), Hono's cached copy is used (JSON re-serialised —
 * fine for PhonePe's webhook, whose Authorization does not sign the body).
 *
 * @example
 * import { phonePeBillingApp } from 'phonepe-billing/hono';
 * app.route('/', phonePeBillingApp({ billing, auth, webhook: { username, password } }));
 */
export function phonePeBillingApp(options: PhonePeBillingAppOptions): Hono {
  const handler = createBillingHandler(options);
  const base = handler.basePath === '/' ? '' : handler.basePath;
  const serve = async (c: Context) => handler(await billingRequest(c, base));
  return new Hono().all(base || '/', serve).all(`${base}/*`, serve);
}

/** The request as the handler expects it: the path below the mount point, the body as received. */
async function billingRequest(c: Context, base: string): Promise<Request> {
  const raw = c.req.raw;
  const url = new URL(raw.url);
  url.pathname = belowMountPoint(url.pathname, c.req.routePath, base);
  const body = BODYLESS.has(raw.method) || !raw.body ? null : raw.bodyUsed ? await c.req.arrayBuffer() : raw.body;
  return new Request(url, { method: raw.method, headers: raw.headers, body, signal: raw.signal, duplex: 'half' } as RequestInit);
}

/**
 * `routePath` is the pattern that matched, mount point included (`/billing/v1/*`, or `/:org/v1/*`):
 * its segments before `base` belong to the mount point, so as many leading segments are dropped from
 * the request path. (`c.req.routePath` works on every Hono 4; `hono/route` needs a newer one.)
 */
function belowMountPoint(pathname: string, routePath: string, base: string): string {
  const count = (path: string) => path.split('/').filter(Boolean).length;
  const mountSegments = count(routePath) - count(base) - (routePath.endsWith('/*') ? 1 : 0);
  return `/${pathname.split('/').slice(1 + mountSegments).join('/')}`;
}
