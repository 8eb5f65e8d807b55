// phonepe-billing/hono — the billing routes as a Hono app. Translation only: statuses and bodies come
// from createBillingHandler (src/http), the same as on every other adapter.
import { Hono, type Context } from 'hono';
import { forbiddenMethodResponse, mountBillingHandler } from '../../src/http/create-billing-handler.js';
import type { BillingHandlerOptions } from '../../src/http/index.js';
import { frameworkErrorResponse } from '../../src/http/mounting.js';

/** Options of {@link phonePeBillingApp}: those of `createBillingHandler`. */
export type PhonePeBillingAppOptions = BillingHandlerOptions;

const BODYLESS = new Set(['GET', 'HEAD']);

/**
 * The billing API as a Hono app to mount with `app.route(prefix, billingApp)`: `app.route('/billing', …)`
 * + `basePath` (default `/v1`) serves `/billing/v1/...`; `app.route('/', …)` serves `/v1/...`. Only
 * paths under it are claimed. The body is streamed to the handler (counted against `maxBodyBytes`); if a
 * host middleware already read it (`c.req.json()`, `c.req.formData()`), Hono's cached copy is used (see
 * `readBody`).
 *
 * @example
 * import { phonePeBillingApp } from 'phonepe-billing/hono';
 * app.route('/', phonePeBillingApp({ billing, auth, webhook: { username, password } }));
 */
export function phonePeBillingApp(options: PhonePeBillingAppOptions): Hono {
  // Hono tells the app its mount point only per request (the matched route).
  const handler = mountBillingHandler(options, null);
  const base = handler.basePath === '/' ? '' : handler.basePath;
  const serve = async (c: Context) => {
    const url = handlerUrl(c, base);
    handler.observeMount(mountPointOf(new URL(c.req.raw.url).pathname, url.pathname));
    // TRACE cannot become a web Request: answer it here, as the handler would.
    return (
      forbiddenMethodResponse(handler, c.req.method, `${url.pathname}${url.search}`) ??
      handler(await billingRequest(c, url))
    );
  };
  return (
    new Hono()
      .all(base || '/', serve)
      .all(`${base}/*`, serve)
      // Anything thrown before the handler answers gets the billing error shape, not Hono's text 500.
      .onError((error) =>
        frameworkErrorResponse(error, {
          limitBytes: handler.maxBodyBytes,
          ...(options.logger ? { logger: options.logger } : {}),
        }),
      )
  );
}

/** The request URL as the handler expects it: the path below the mount point. */
function handlerUrl(c: Context, base: string): URL {
  const url = new URL(c.req.raw.url);
  url.pathname = belowMountPoint(url.pathname, c.req.routePath, base);
  return url;
}

/** The request as the handler expects it: `url`, the body as received. */
async function billingRequest(c: Context, url: URL): Promise<Request> {
  const raw = c.req.raw;
  const body = BODYLESS.has(raw.method) || !raw.body ? null : raw.bodyUsed ? await readBody(c) : raw.body;
  return new Request(url, {
    method: raw.method,
    headers: raw.headers,
    body,
    signal: raw.signal,
    duplex: 'half',
  } as RequestInit);
}

/**
 * A body a host middleware already read, from Hono's cache: as text or bytes it is what was sent (a
 * `c.req.json()` keeps the text on Hono 4.13; older 4.x kept the parsed value, re-serialised). A form read
 * with `c.req.formData()` is encoded back as the urlencoded form it came as — Hono would hand on multipart.
 */
async function readBody(c: Context): Promise<ArrayBuffer | string> {
  const first = Object.keys(c.req.bodyCache)[0];
  const type = c.req.header('content-type') ?? '';
  if (first === 'formData' && /^application\/x-www-form-urlencoded\b/i.test(type)) {
    const form = new URLSearchParams();
    for (const [name, value] of await c.req.formData()) if (typeof value === 'string') form.append(name, value);
    return form.toString();
  }
  return c.req.arrayBuffer();
}

/**
 * `routePath` is the pattern that matched, mount point included (`/billing/v1/*`, or `/:org/v1/*`):
 * its segments before `base` belong to the mount point, so as many leading segments are dropped from
 * the request path. (`c.req.routePath` works on every Hono 4; `hono/route` needs a newer one.)
 */
function belowMountPoint(pathname: string, routePath: string, base: string): string {
  const count = (path: string) => path.split('/').filter(Boolean).length;
  const mountSegments = count(routePath) - count(base) - (routePath.endsWith('/*') ? 1 : 0);
  return `/${pathname
    .split('/')
    .slice(1 + mountSegments)
    .join('/')}`;
}

/** The part of the request path in front of what the handler sees: the mount point (`/billing`, or ''). */
function mountPointOf(fullPath: string, belowMount: string): string {
  return fullPath.endsWith(belowMount)
    ? fullPath.slice(0, fullPath.length - belowMount.length).replace(/\/+$/, '')
    : '';
}
