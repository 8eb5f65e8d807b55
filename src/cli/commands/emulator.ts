import { defaultEmulatorMerchant } from '../../testing/default-test-credentials.js';
import {
  API_FAMILIES,
  OUTCOMES,
  RESPONSE_SHAPES,
  type ApiFamily,
  type EmulatorOutcome,
  type ResponseShape,
} from '../../testing/core/records.js';
import {
  startPhonePeEmulator,
  type PhonePeEmulator,
  type PhonePeEmulatorOptions,
} from '../../testing/start-phonepe-emulator.js';
import { parseCliArgs } from '../parse-cli-args.js';
import { defaultRazorpayEmulatorCredentials } from '../../testing/razorpay/default-razorpay-credentials.js';
import type { RazorpayEmulatorOptions } from '../../testing/razorpay/razorpay-emulator-options.js';
import { startRazorpayEmulator, type RazorpayEmulator } from '../../testing/razorpay/start-razorpay-emulator.js';

const USAGE = `Usage: phonepe-billing emulator [options]

Starts a local PhonePe v2 sandbox (OAuth, checkout, refunds, autopay, hosted page, webhooks)
— or, with --gateway razorpay, a local Razorpay (/v1 API, checkout.js, signed webhooks) —
and runs until Ctrl-C.

Options:
  --gateway <name>           phonepe | razorpay (default phonepe)
  --port <n>                 port to listen on; 0 picks a free one (default 8787)
  --host <host>              interface to listen on (default 127.0.0.1)
  --public-url <url>         origin to put in redirect URLs, e.g. behind a proxy
  --webhook-url <url>        where to POST webhooks (default: record them only)
  --webhook-username <name>  webhook username (default emulator_webhook)
  --webhook-password <pass>  webhook password (default emulatorPass123)
  --client-id <id>           accepted client_id (default ${defaultEmulatorMerchant.clientId})
  --client-secret <secret>   accepted client_secret
  --client-version <n>       accepted client_version (default ${defaultEmulatorMerchant.clientVersion})
  --merchant-id <id>         merchant id in responses and webhooks (default ${defaultEmulatorMerchant.merchantId})
  --outcome <outcome>        manual | success | failure | pending (default manual)
  --response-shape <shape>   minimal (PhonePe's SDK fixtures) | documented (its doc samples) (default minimal)
  --mandate-families <list>  families that manage checkout-created mandates: checkout,subscriptions (default both)
  --wrong-family-status <n>  what the other family answers: 404 | 401 (default 404)
  --require-referrer <list>  refuse a hosted-page load without a referrer: "any", or allowed origins, comma-separated
  --help                     show this help

Razorpay (--gateway razorpay) takes --port, --host, --public-url, --webhook-url and:
  --key-id <id>              accepted key id (default ${defaultRazorpayEmulatorCredentials.keyId})
  --key-secret <secret>      accepted key secret (default ${defaultRazorpayEmulatorCredentials.keySecret})
  --webhook-secret <secret>  key of X-Razorpay-Signature (default ${defaultRazorpayEmulatorCredentials.webhookSecret})
`;

/** Flags only the PhonePe emulator understands, and only the Razorpay one. */
const PHONEPE_ONLY = [
  'webhook-username',
  'webhook-password',
  'client-id',
  'client-secret',
  'client-version',
  'merchant-id',
  'outcome',
  'response-shape',
  'mandate-families',
  'wrong-family-status',
  'require-referrer',
] as const;
const RAZORPAY_ONLY = ['key-id', 'key-secret', 'webhook-secret'] as const;
const GATEWAYS = ['phonepe', 'razorpay'] as const;

/** Checks the emulator for time-based changes this often, so expiry and refunds move in real time. */
const SWEEP_INTERVAL_MS = 1_000;

type Values = Record<string, string | boolean | undefined>;

/** `phonepe-billing emulator`: starts the emulator, prints where and how to reach it, stops on SIGINT/SIGTERM. */
export async function run(argv: readonly string[]): Promise<number> {
  const parsed = parseCliArgs('emulator', USAGE, argv, OPTIONS);
  if ('exitCode' in parsed) return parsed.exitCode;
  const values: Values = parsed.values;
  const gateway = typeof values.gateway === 'string' ? values.gateway : 'phonepe';
  if (!GATEWAYS.includes(gateway as (typeof GATEWAYS)[number])) {
    process.stderr.write(
      `phonepe-billing emulator: --gateway must be one of ${GATEWAYS.join(', ')}, got "${gateway}".\n`,
    );
    return 2;
  }
  const misplaced = (gateway === 'razorpay' ? PHONEPE_ONLY : RAZORPAY_ONLY).find((flag) => values[flag] !== undefined);
  if (misplaced) {
    process.stderr.write(`phonepe-billing emulator: --${misplaced} does not apply to --gateway ${gateway}.\n`);
    return 2;
  }
  if (gateway === 'razorpay') return runRazorpay(values);
  const options = toOptions(values);
  if (typeof options === 'string') {
    process.stderr.write(`phonepe-billing emulator: ${options}\n`);
    return 2;
  }
  const emulator = await startPhonePeEmulator(options);
  process.stdout.write(banner(emulator, options));
  await untilSignal(emulator);
  return 0;
}

const OPTIONS = {
  gateway: { type: 'string' },
  'key-id': { type: 'string' },
  'key-secret': { type: 'string' },
  'webhook-secret': { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'public-url': { type: 'string' },
  'webhook-url': { type: 'string' },
  'webhook-username': { type: 'string' },
  'webhook-password': { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'client-version': { type: 'string' },
  'merchant-id': { type: 'string' },
  outcome: { type: 'string' },
  'response-shape': { type: 'string' },
  'mandate-families': { type: 'string' },
  'wrong-family-status': { type: 'string' },
  'require-referrer': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function toOptions(values: Values): PhonePeEmulatorOptions | string {
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const port = Number(text('port') ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    return `--port must be an integer from 0 to 65535, got "${text('port')}".`;
  const outcome = text('outcome') ?? 'manual';
  if (!OUTCOMES.includes(outcome as EmulatorOutcome))
    return `--outcome must be one of ${OUTCOMES.join(', ')}, got "${outcome}".`;
  const responseShape = text('response-shape') ?? 'minimal';
  if (!RESPONSE_SHAPES.includes(responseShape as ResponseShape))
    return `--response-shape must be one of ${RESPONSE_SHAPES.join(', ')}, got "${responseShape}".`;
  const families = list(text('mandate-families') ?? API_FAMILIES.join(','));
  if (families.length === 0 || families.some((f) => !API_FAMILIES.includes(f as ApiFamily))) {
    return `--mandate-families must list one or both of ${API_FAMILIES.join(', ')}, got "${text('mandate-families')}".`;
  }
  const wrongFamilyStatus = Number(text('wrong-family-status') ?? 404);
  if (wrongFamilyStatus !== 401 && wrongFamilyStatus !== 404)
    return `--wrong-family-status must be 401 or 404, got "${text('wrong-family-status')}".`;
  const requireReferrer = referrerOption(text('require-referrer'));
  if (typeof requireReferrer === 'string') return requireReferrer;
  const webhookUrl = text('webhook-url');
  return {
    port,
    host: text('host') ?? '127.0.0.1',
    publicUrl: text('public-url'),
    outcome: outcome as EmulatorOutcome,
    responseShape: responseShape as ResponseShape,
    mandateFamilies: families as ApiFamily[],
    wrongFamilyStatus,
    requireReferrer,
    merchants: [
      {
        clientId: text('client-id') ?? defaultEmulatorMerchant.clientId,
        clientSecret: text('client-secret') ?? defaultEmulatorMerchant.clientSecret,
        clientVersion: text('client-version') ?? defaultEmulatorMerchant.clientVersion,
        merchantId: text('merchant-id') ?? defaultEmulatorMerchant.merchantId,
      },
    ],
    webhook: webhookUrl
      ? { url: webhookUrl, username: text('webhook-username'), password: text('webhook-password') }
      : undefined,
  };
}

const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** `--require-referrer any` or `--require-referrer https://a.example,http://127.0.0.1:3000`; absent = off. */
function referrerOption(value: string | undefined): boolean | string[] | string {
  if (value === undefined) return false;
  if (value.trim() === 'any') return true;
  const origins = list(value);
  const bad = origins.find((origin) => !URL.canParse(origin));
  if (origins.length === 0 || bad !== undefined)
    return `--require-referrer must be "any" or a comma-separated list of origins such as http://127.0.0.1:3000, got "${value}".`;
  return origins;
}

function banner(emulator: PhonePeEmulator, options: PhonePeEmulatorOptions): string {
  const merchant = options.merchants![0]!;
  const state = emulator.state() as { merchants: { webhookUrl: string | null }[] };
  const webhook = options.webhook?.url
    ? `POST ${state.merchants[0]?.webhookUrl} (username ${options.webhook.username ?? 'emulator_webhook'}, password ${options.webhook.password ?? 'emulatorPass123'})`
    : 'not sent (no --webhook-url); listed at GET /__emulator/webhooks';
  return [
    `PhonePe emulator listening on ${emulator.url}`,
    `  PG base URL:     ${emulator.baseUrls.pg}`,
    `  OAuth base URL:  ${emulator.baseUrls.oauth}`,
    `  Control API:     ${emulator.url}/__emulator (try GET ${emulator.url}/__emulator/state)`,
    `  Credentials:     clientId=${merchant.clientId} clientSecret=${merchant.clientSecret} clientVersion=${merchant.clientVersion} merchantId=${merchant.merchantId}`,
    `  Webhooks:        ${webhook}`,
    `  Outcome:         ${options.outcome}`,
    `  Responses:       ${options.responseShape} shape; checkout mandates on ${options.mandateFamilies!.join(' and ')}`,
    `  checkout.js:     ${emulator.checkoutScriptUrl}${referrerLine(options.requireReferrer)}`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

function referrerLine(rule: PhonePeEmulatorOptions['requireReferrer']): string {
  if (!rule) return '';
  return rule === true ? ' (hosted page needs a referrer)' : ` (hosted page needs a referrer from ${rule.join(', ')})`;
}

/** `--gateway razorpay`: the Razorpay emulator with the shared flags plus its credentials. */
async function runRazorpay(values: Values): Promise<number> {
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const port = Number(text('port') ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write(
      `phonepe-billing emulator: --port must be an integer from 0 to 65535, got "${text('port')}".\n`,
    );
    return 2;
  }
  const webhookUrl = text('webhook-url');
  const options: RazorpayEmulatorOptions = {
    port,
    host: text('host') ?? '127.0.0.1',
    publicUrl: text('public-url'),
    keyId: text('key-id'),
    keySecret: text('key-secret'),
    webhookSecret: text('webhook-secret'),
    webhook: webhookUrl ? { url: webhookUrl } : undefined,
  };
  const emulator = await startRazorpayEmulator(options);
  process.stdout.write(razorpayBanner(emulator, webhookUrl));
  await untilSignal(emulator);
  return 0;
}

function razorpayBanner(emulator: RazorpayEmulator, webhookUrl: string | undefined): string {
  const { keyId, keySecret, webhookSecret } = emulator.credentials;
  return [
    `Razorpay emulator listening on ${emulator.url}`,
    `  API base URL:    ${emulator.baseUrl}`,
    `  checkout.js:     ${emulator.checkoutScriptUrl}`,
    `  Control API:     ${emulator.url}/__emulator (try GET ${emulator.url}/__emulator/state)`,
    `  Credentials:     keyId=${keyId} keySecret=${keySecret} webhookSecret=${webhookSecret}`,
    `  Webhooks:        ${webhookUrl ? `POST ${webhookUrl} (X-Razorpay-Signature with the webhook secret)` : 'not sent (no --webhook-url); listed at GET /__emulator/webhooks'}`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

function untilSignal(emulator: { sweep(): Promise<void>; close(): Promise<void> }): Promise<void> {
  const sweeper = setInterval(() => void emulator.sweep(), SWEEP_INTERVAL_MS);
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      clearInterval(sweeper);
      process.stdout.write(`Received ${signal}; stopping the emulator.\n`);
      void emulator.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
