// phonepe-billing/fastify — the billing routes as an encapsulated Fastify 5 plugin. Translation only:
// statuses and bodies come from the billing handler (src/http), the same as on every other adapter.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { BillingHandlerOptions } from '../../src/http/index.js';
import {
  DEFAULT_BASE_PATH,
  forbiddenMethodResponse,
  mountBillingHandler,
} from '../../src/http/create-billing-handler.js';
import { frameworkErrorResponse, reserialiseBody } from '../../src/http/mounting.js';
import { incomingMessageToRequest } from '../../src/node-http/index.js';

/** Options of {@link phonePeBillingPlugin}: those of `createBillingHandler` (plus Fastify's own `prefix`). */
export type PhonePeBillingPluginOptions = BillingHandlerOptions;

// Options Fastify's register() reads itself; they reach the plugin too and are not the handler's.
const FASTIFY_REGISTER_KEYS = ['prefix', 'logLevel', 'logSerializers'];

/**
 * The billing API as a Fastify plugin. Register it with `prefix` to mount it: `{ prefix: '/billing' }`
 * + `basePath` (default `/v1`) serves `/billing/v1/...`. It is encapsulated (not wrapped in
 * fastify-plugin): inside its own scope it replaces the body parsers with one that keeps the raw bytes
 * (limit `maxBodyBytes`), so the host's routes keep their JSON parsing. Logs go to `fastify.log` unless
 * `logger` is given.
 *
 * @example
 * import { phonePeBillingPlugin } from 'phonepe-billing/fastify';
 * await app.register(phonePeBillingPlugin, { prefix: '/billing', billing, auth, webhook: { username, password } });
 */
export const phonePeBillingPlugin: FastifyPluginAsync<PhonePeBillingPluginOptions> = async (fastify, registered) => {
  const options = Object.fromEntries(
    Object.entries(registered).filter(([key]) => !FASTIFY_REGISTER_KEYS.includes(key)),
  ) as BillingHandlerOptions;
  const logger = options.logger ?? fastify.log;
  // The handler matches the full path, so it is told the prefix Fastify put this scope under.
  const handler = mountBillingHandler({ ...options, logger }, fastify.prefix);
  const limitBytes = handler.maxBodyBytes;
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limitBytes }, (_request, body, done) =>
    done(null, body),
  );
  fastify.setErrorHandler((error, _request, reply) =>
    reply.send(frameworkErrorResponse(error, { limitBytes, logger })),
  );
  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    // TRACE cannot become a web Request: answer it here, as the handler would.
    const refused = forbiddenMethodResponse(handler, request.method, request.url);
    if (refused) return reply.send(refused);
    const body = reserialiseBody(request.body);
    const webRequest = await incomingMessageToRequest(request.raw, reply.raw, {
      maxBodyBytes: limitBytes,
      ...(body === undefined ? {} : { body }),
    });
    return reply.send(await handler(webRequest));
  };
  const base = (options.basePath ?? DEFAULT_BASE_PATH).replace(/^\/$/, '');
  fastify.all(base || '/', serve);
  fastify.all(`${base}/*`, serve);
};
