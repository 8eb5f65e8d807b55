import { parseOptions } from '../common/invalid-options.js';
import { z } from 'zod';
import type { SubscriptionManager } from '../billing/subscription-manager.js';
import { createReturnUrlAllowlist, type ReturnUrlAllowlist } from '../billing/return-url-allowlist.js';
import { silentLogger, type Logger } from '../common/logger.js';
import { createWebhookVerifier, type WebhookCredentials, type WebhookVerifier } from '../webhooks/verify-webhook.js';
import type { BillingAuth } from './billing-auth.js';
import { BILLING_ROLES, DEFAULT_BILLING_ROLE_POLICY, type BillingRolePolicy } from './billing-roles.js';

/**
 * Options of `createBillingHandler` (and of the Express, Fastify and Hono adapters).
 *
 * @example
 * const options: BillingHandlerOptions = {
 *   billing, auth,
 *   webhook: { username: env.PHONEPE_WEBHOOK_USERNAME, password: env.PHONEPE_WEBHOOK_PASSWORD },
 * };
 */
export interface BillingHandlerOptions {
  /** The subscription manager; the source of truth for `callbackUrl` and the return-URL allowlist. */
  billing: SubscriptionManager;
  /** The host's authentication and workspace roles. */
  auth: BillingAuth;
  /** The webhook username and password set in the PhonePe dashboard. */
  webhook: WebhookCredentials;
  /**
   * Where the routes live, relative to the adapter's mount point (`app.use('/billing', router)` +
   * `/v1` = `/billing/v1/...`). The bare handler has no mount point: it sees the full path, so give it
   * the whole prefix (`/billing/v1`). `/` puts the routes at the root.
   * @default '/v1'
   */
  basePath?: string;
  /**
   * Optional cross-check: must equal the manager's `config.callbackUrl` (configure it once, there).
   */
  callbackUrl?: string;
  /**
   * Extra origins check for return URLs, on top of the manager's `config.redirectAllowlist`: a
   * return URL must pass both, when the payment is created and again before the callback redirects.
   */
  redirectAllowlist?: readonly string[];
  /** Which roles may manage billing, read it, and refund over HTTP. @default { manage: ['owner'], read: ['owner', 'admin', 'member'], refund: [] } */
  roles?: Partial<BillingRolePolicy>;
  /** The largest request body accepted, in bytes (counted while streaming). @default 65536 */
  maxBodyBytes?: number;
  /** Where 5xx answers and auth failures are logged (pino-shaped). @default silentLogger */
  logger?: Logger;
}

/** The options with defaults applied and the derived helpers built (internal). */
export interface ResolvedHandlerOptions {
  billing: SubscriptionManager;
  auth: BillingAuth;
  verifier: WebhookVerifier;
  basePath: string;
  extraAllowlist: ReturnUrlAllowlist | null;
  roles: BillingRolePolicy;
  maxBodyBytes: number;
  logger: Logger;
}

export const DEFAULT_BASE_PATH = '/v1';
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

const hasMethods =
  (...names: string[]) =>
  (value: unknown) =>
    typeof value === 'object' &&
    value !== null &&
    names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
// Segments of unreserved characters only, so the path is safe inside every framework's route syntax.
const BASE_PATH = /^\/$|^(\/[A-Za-z0-9._~-]+)+$/;
const roleList = z.array(z.enum(BILLING_ROLES)).min(1).readonly();

const optionsSchema = z.strictObject({
  billing: z.custom<SubscriptionManager>(
    hasMethods('createCheckout', 'handleWebhook', 'handleRedirect'),
    'billing must be a SubscriptionManager',
  ),
  auth: z.custom<BillingAuth>(
    hasMethods('authenticate', 'getRole'),
    'auth must have authenticate(request) and getRole(userId, workspaceId)',
  ),
  webhook: z.strictObject({
    username: z.string().min(1, 'webhook.username is required'),
    password: z.string().min(1, 'webhook.password is required'),
  }),
  basePath: z
    .string()
    .regex(
      BASE_PATH,
      'basePath must be "/" or like "/v1" or "/billing/v1" (no trailing slash; letters, digits, . _ ~ -)',
    )
    .default(DEFAULT_BASE_PATH),
  callbackUrl: z.url({ protocol: /^https?$/ }).optional(),
  redirectAllowlist: z.array(z.string().min(1)).min(1).readonly().optional(),
  roles: z
    .strictObject({
      manage: roleList.optional(),
      read: roleList.optional(),
      refund: z.array(z.enum(BILLING_ROLES)).optional(),
    })
    .optional(),
  maxBodyBytes: z
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(DEFAULT_MAX_BODY_BYTES),
  logger: z
    .custom<Logger>(hasMethods('debug', 'info', 'warn', 'error'), 'logger must have debug/info/warn/error')
    .optional(),
});

/** Validates the options once, at construction; a mistake throws `InvalidOptionsError` (a `TypeError`) naming the option. */
export function resolveHandlerOptions(options: BillingHandlerOptions, mountPath = ''): ResolvedHandlerOptions {
  const o = parseOptions(optionsSchema, options, 'createBillingHandler');
  checkCallbackUrl(o.billing, o.callbackUrl);
  const logger = o.logger ?? silentLogger;
  const basePath = joinPaths(mountPath, o.basePath);
  return {
    billing: o.billing,
    auth: o.auth,
    verifier: createWebhookVerifier(o.webhook),
    basePath,
    extraAllowlist: o.redirectAllowlist ? buildAllowlist(o.billing, o.redirectAllowlist) : null,
    roles: {
      manage: o.roles?.manage ?? DEFAULT_BILLING_ROLE_POLICY.manage,
      read: o.roles?.read ?? DEFAULT_BILLING_ROLE_POLICY.read,
      refund: o.roles?.refund ?? DEFAULT_BILLING_ROLE_POLICY.refund,
    },
    maxBodyBytes: o.maxBodyBytes,
    logger,
  };
}

/** `/billing` + `/v1` → `/billing/v1`; `''` + `/` → `''` (the root). */
export function joinPaths(prefix: string, path: string): string {
  return `${prefix.replace(/\/+$/, '')}${path === '/' ? '' : path}`;
}

function checkCallbackUrl(billing: SubscriptionManager, callbackUrl: string | undefined): void {
  if (callbackUrl === undefined || new URL(callbackUrl).href === new URL(billing.config.callbackUrl).href) return;
  throw new TypeError(
    `createBillingHandler options: callbackUrl "${callbackUrl}" differs from the SubscriptionManager's config.callbackUrl "${billing.config.callbackUrl}"; configure it once, on the manager, and leave it out here.`,
  );
}

/**
 * The manager tells PhonePe to send the payer to config.callbackUrl; if that path is not this handler's
 * callback route (mount point and basePath included), payers land on a 404 — and PhonePe's webhooks,
 * configured the same way, too. Only a warning: a proxy may add a prefix in front (allowed) or rewrite paths.
 */
export function warnIfCallbackOutside(billing: SubscriptionManager, fullBasePath: string, logger: Logger): void {
  const path = new URL(billing.config.callbackUrl).pathname;
  const expected = `${fullBasePath}/payments/callback`;
  if (!path.endsWith(expected)) {
    logger.warn(
      { callbackPath: path, expected },
      `config.callbackUrl (PHONEPE_CALLBACK_URL) path ${path} is not this handler's callback route ${expected}; payers returning from PhonePe will get a 404 — include the mount point (and use the same path for the webhook URL in PhonePe's dashboard)`,
    );
  }
}

function buildAllowlist(billing: SubscriptionManager, origins: readonly string[]): ReturnUrlAllowlist {
  try {
    return createReturnUrlAllowlist({ origins, allowHttpLocalhost: billing.config.allowHttpLocalhost });
  } catch (error) {
    throw new TypeError(`createBillingHandler options: redirectAllowlist: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
