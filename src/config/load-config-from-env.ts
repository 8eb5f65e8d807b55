import { z } from 'zod';
import { ConfigError } from './config-error.js';

/** The variables `loadConfigFromEnv` reads (see `.env.phonepe.example`). */
export const PHONEPE_ENV_VARIABLES = [
  'PHONEPE_CLIENT_ID',
  'PHONEPE_CLIENT_SECRET',
  'PHONEPE_CLIENT_VERSION',
  'PHONEPE_ENV',
  'PHONEPE_WEBHOOK_USERNAME',
  'PHONEPE_WEBHOOK_PASSWORD',
  'PHONEPE_CALLBACK_URL',
  'PAYMENT_REDIRECT_ALLOWLIST',
  'DATABASE_URL',
  'DATABASE_SYSTEM_URL',
  'FRONTEND_URL',
  'PHONEPE_BASE_URL',
  'RAZORPAY_KEY_ID',
  'RAZORPAY_KEY_SECRET',
  'RAZORPAY_WEBHOOK_SECRET',
  'RAZORPAY_BASE_URL',
  'BILLING_DEFAULT_GATEWAY',
] as const;

// Razorpay is optional: unset, `razorpay` is undefined; once one of these is set, all three are needed.
const RAZORPAY_REQUIRED = {
  RAZORPAY_KEY_ID:
    'set it to the key id from the Razorpay dashboard (Account & Settings → API Keys), rzp_test_… or rzp_live_…',
  RAZORPAY_KEY_SECRET: 'set it to the key secret shown once when the key was generated in the Razorpay dashboard',
  RAZORPAY_WEBHOOK_SECRET:
    'set it to the secret you typed for the webhook in the Razorpay dashboard (Account & Settings → Webhooks)',
} as const;

const text = (what: string) =>
  z
    .string({ error: `is not set; ${what}` })
    .trim()
    .min(1, `is empty; ${what}`);
const httpUrl = (what: string) =>
  text(what).pipe(z.url({ protocol: /^https?$/, error: `must be an absolute http(s) URL; ${what}` }));

const envSchema = z.object({
  PHONEPE_CLIENT_ID: text('set it to the client id from the PhonePe dashboard'),
  PHONEPE_CLIENT_SECRET: text('set it to the client secret from the PhonePe dashboard'),
  PHONEPE_CLIENT_VERSION: text('set it to the client version from the PhonePe dashboard (1 in UAT)'),
  PHONEPE_ENV: z.enum(['SANDBOX', 'PRODUCTION'], { error: 'must be SANDBOX or PRODUCTION' }).default('SANDBOX'),
  PHONEPE_WEBHOOK_USERNAME: text('set it to the webhook username configured in the PhonePe dashboard'),
  PHONEPE_WEBHOOK_PASSWORD: text('set it to the webhook password configured in the PhonePe dashboard'),
  PHONEPE_CALLBACK_URL: httpUrl(
    'set it to the public URL of GET /payments/callback, e.g. https://api.example.com/v1/payments/callback',
  ),
  PAYMENT_REDIRECT_ALLOWLIST: text(
    'set it to the comma-separated origins payers may return to, e.g. https://app.example.com',
  ),
  // An empty value (a `.env` line left blank) means "not set".
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((value) => value || undefined),
  // The worker role's connection (a member of phonepe_billing_system) for cross-workspace work.
  DATABASE_SYSTEM_URL: z
    .string()
    .trim()
    .optional()
    .transform((value) => value || undefined),
  FRONTEND_URL: httpUrl('set it to your web app origin, e.g. https://app.example.com').optional(),
  /** Not in PhonePe's docs: points the client at another PhonePe-compatible host, e.g. the local emulator. */
  PHONEPE_BASE_URL: httpUrl('set it to e.g. http://127.0.0.1:8787/apis/pg-sandbox for the local emulator').optional(),
  RAZORPAY_KEY_ID: z.string().trim().optional(),
  RAZORPAY_KEY_SECRET: z.string().trim().optional(),
  RAZORPAY_WEBHOOK_SECRET: z.string().trim().optional(),
  /** Not in Razorpay's docs: points the Razorpay client at another host with `/v1`, e.g. the local emulator. */
  RAZORPAY_BASE_URL: httpUrl('set it to e.g. http://127.0.0.1:8788/v1 for the local Razorpay emulator').optional(),
  // The manager's `defaultGateway`; an empty value (a `.env` line left blank) means "not set".
  BILLING_DEFAULT_GATEWAY: z
    .string()
    .trim()
    .optional()
    .transform((value) => value || 'phonepe')
    .pipe(z.enum(['phonepe', 'razorpay'], { error: 'must be phonepe or razorpay' })),
});

/** Configuration read from the environment, shaped for `PhonePeClient`, the manager and the handler. */
export interface EnvConfig {
  phonepe: {
    clientId: string;
    clientSecret: string;
    clientVersion: string;
    env: 'SANDBOX' | 'PRODUCTION';
    baseUrls?: { pg: string; oauth: string };
  };
  webhook: { username: string; password: string };
  callbackUrl: string;
  redirectAllowlist: string[];
  databaseUrl: string | undefined;
  /** A second connection for system-scope work (webhooks, reconcile, renewals), as the worker role; see `createPgStore`'s `systemConnectionString`. */
  databaseSystemUrl: string | undefined;
  frontendUrl: string | undefined;
  /**
   * Razorpay, when `RAZORPAY_KEY_ID`, `RAZORPAY_KEY_SECRET` and `RAZORPAY_WEBHOOK_SECRET` are set (all or none):
   * `keyId`, `keySecret` and `baseUrl` are `RazorpayClient`'s options, `webhookSecret` `verifyRazorpayWebhook`'s.
   */
  razorpay: { keyId: string; keySecret: string; webhookSecret: string; baseUrl?: string } | undefined;
  /**
   * Where a checkout that names no gateway goes (`BILLING_DEFAULT_GATEWAY`, default `phonepe`): the manager's
   * `defaultGateway`. `razorpay` only with `razorpay` set.
   */
  defaultGateway: 'phonepe' | 'razorpay';
}

/** What `loadConfigFromEnv(env, { webhook: false })` returns: the webhook credentials may be absent. */
export type EnvConfigWithoutWebhook = Omit<EnvConfig, 'webhook'> & { webhook: EnvConfig['webhook'] | undefined };

/** Options of {@link loadConfigFromEnv}. */
export interface LoadConfigOptions {
  /** `false` for jobs that never receive webhooks: the webhook credentials become optional. @default true */
  webhook?: boolean;
  /** `true` when the app needs PostgreSQL: `DATABASE_URL` becomes required, and `databaseUrl` a `string`. @default false */
  database?: boolean;
}

/** What {@link loadConfigFromEnv} returns for the given options. */
export type LoadedConfig<O extends LoadConfigOptions> = Omit<EnvConfig, 'webhook' | 'databaseUrl'> & {
  webhook: O['webhook'] extends false ? EnvConfig['webhook'] | undefined : EnvConfig['webhook'];
  databaseUrl: O['database'] extends true ? string : string | undefined;
};

/**
 * Reads the seed's environment variables (`PHONEPE_CLIENT_ID`, `PHONEPE_CLIENT_SECRET`,
 * `PHONEPE_CLIENT_VERSION`, `PHONEPE_ENV`, `PHONEPE_WEBHOOK_USERNAME`, `PHONEPE_WEBHOOK_PASSWORD`,
 * `PHONEPE_CALLBACK_URL`, `PAYMENT_REDIRECT_ALLOWLIST`, `DATABASE_URL`, `FRONTEND_URL`, and optionally
 * `DATABASE_SYSTEM_URL` for the worker role, `PHONEPE_BASE_URL` for the emulator, and Razorpay's
 * `RAZORPAY_KEY_ID`, `RAZORPAY_KEY_SECRET`, `RAZORPAY_WEBHOOK_SECRET` (all or none), `RAZORPAY_BASE_URL` and
 * `BILLING_DEFAULT_GATEWAY`) and validates them; a `ConfigError` names the first missing or bad
 * variable. Pass the environment explicitly on runtimes without `process.env`. With `{ webhook: false }`
 * the webhook credentials are optional (for jobs that never receive webhooks); with `{ database: true }`
 * `DATABASE_URL` is required and typed `string` (for `createPgStore({ connectionString })`).
 *
 * @example
 * const config = loadConfigFromEnv(process.env);
 * const client = new PhonePeClient(config.phonepe);
 */
export function loadConfigFromEnv<const O extends LoadConfigOptions = {}>(
  env?: Record<string, string | undefined>,
  options?: O,
): LoadedConfig<O>;
export function loadConfigFromEnv(
  env: Record<string, string | undefined> = (globalThis as { process?: { env: Record<string, string | undefined> } })
    .process?.env ?? {},
  options: LoadConfigOptions = {},
): EnvConfigWithoutWebhook {
  // Jobs that never receive webhooks (the CLI's reconcile and renew) may leave the webhook credentials out.
  const schema =
    options.webhook === false
      ? envSchema.partial({ PHONEPE_WEBHOOK_USERNAME: true, PHONEPE_WEBHOOK_PASSWORD: true })
      : envSchema;
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    throw new ConfigError(variable, `${variable} ${issue.message}`);
  }
  const e = parsed.data;
  if (options.database === true && !e.DATABASE_URL) {
    throw new ConfigError(
      'DATABASE_URL',
      'DATABASE_URL is not set; set it to your PostgreSQL URL, e.g. postgres://billing_app:secret@db:5432/app.',
    );
  }
  const redirectAllowlist = e.PAYMENT_REDIRECT_ALLOWLIST.split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of redirectAllowlist) {
    if (!isBareOrigin(origin))
      throw new ConfigError(
        'PAYMENT_REDIRECT_ALLOWLIST',
        `PAYMENT_REDIRECT_ALLOWLIST entry "${origin}" must be a bare origin such as https://app.example.com (no path).`,
      );
  }
  const base = e.PHONEPE_BASE_URL?.replace(/\/+$/, '');
  const razorpay = razorpayConfig(e);
  if (e.BILLING_DEFAULT_GATEWAY === 'razorpay' && !razorpay)
    throw new ConfigError(
      'BILLING_DEFAULT_GATEWAY',
      'BILLING_DEFAULT_GATEWAY is razorpay but Razorpay is not configured; set RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET and RAZORPAY_WEBHOOK_SECRET, or set it to phonepe.',
    );
  return {
    phonepe: {
      clientId: e.PHONEPE_CLIENT_ID,
      clientSecret: e.PHONEPE_CLIENT_SECRET,
      clientVersion: e.PHONEPE_CLIENT_VERSION,
      env: e.PHONEPE_ENV,
      ...(base ? { baseUrls: { pg: base, oauth: base } } : {}),
    },
    webhook:
      e.PHONEPE_WEBHOOK_USERNAME && e.PHONEPE_WEBHOOK_PASSWORD
        ? { username: e.PHONEPE_WEBHOOK_USERNAME, password: e.PHONEPE_WEBHOOK_PASSWORD }
        : undefined,
    callbackUrl: e.PHONEPE_CALLBACK_URL,
    redirectAllowlist,
    databaseUrl: e.DATABASE_URL,
    databaseSystemUrl: e.DATABASE_SYSTEM_URL,
    frontendUrl: e.FRONTEND_URL,
    razorpay,
    defaultGateway: e.BILLING_DEFAULT_GATEWAY,
  };
}

/** The Razorpay settings: none, or all three secrets (a `ConfigError` names the first one missing). */
function razorpayConfig(
  e: Partial<
    Record<'RAZORPAY_KEY_ID' | 'RAZORPAY_KEY_SECRET' | 'RAZORPAY_WEBHOOK_SECRET' | 'RAZORPAY_BASE_URL', string>
  >,
): EnvConfig['razorpay'] {
  const given = (Object.keys(RAZORPAY_REQUIRED) as Array<keyof typeof RAZORPAY_REQUIRED>).filter((name) => e[name]);
  if (given.length === 0) {
    if (e.RAZORPAY_BASE_URL)
      throw new ConfigError(
        'RAZORPAY_KEY_ID',
        `RAZORPAY_KEY_ID is not set though RAZORPAY_BASE_URL is; ${RAZORPAY_REQUIRED.RAZORPAY_KEY_ID}.`,
      );
    return undefined;
  }
  for (const name of Object.keys(RAZORPAY_REQUIRED) as Array<keyof typeof RAZORPAY_REQUIRED>) {
    if (!e[name])
      throw new ConfigError(
        name,
        `${name} is not set though ${given[0]} is (Razorpay needs all three); ${RAZORPAY_REQUIRED[name]}.`,
      );
  }
  const baseUrl = e.RAZORPAY_BASE_URL?.replace(/\/+$/, '');
  return {
    keyId: e.RAZORPAY_KEY_ID as string,
    keySecret: e.RAZORPAY_KEY_SECRET as string,
    webhookSecret: e.RAZORPAY_WEBHOOK_SECRET as string,
    ...(baseUrl ? { baseUrl } : {}),
  };
}

function isBareOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      /^https?:$/.test(url.protocol) &&
      url.pathname === '/' &&
      !url.search &&
      !url.hash &&
      !url.username &&
      !url.password
    );
  } catch {
    return false;
  }
}
