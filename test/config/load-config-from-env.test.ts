import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFromEnv, PHONEPE_ENV_VARIABLES } from '../../src/config/index.js';
import { defaultRazorpayEmulatorCredentials } from '../../src/testing/index.js';

const env = {
  PHONEPE_CLIENT_ID: 'TEST-M22',
  PHONEPE_CLIENT_SECRET: 'secret-value',
  PHONEPE_CLIENT_VERSION: '1',
  PHONEPE_ENV: 'SANDBOX',
  PHONEPE_WEBHOOK_USERNAME: 'hook_user',
  PHONEPE_WEBHOOK_PASSWORD: 'hookPass123',
  PHONEPE_CALLBACK_URL: 'https://api.example.com/v1/payments/callback',
  PAYMENT_REDIRECT_ALLOWLIST: 'https://app.example.com, https://admin.example.com',
  DATABASE_URL: 'postgres://app@db/app',
  FRONTEND_URL: 'https://app.example.com',
};

describe('loadConfigFromEnv', () => {
  it('reads every variable of the seed into the shapes the client, manager and handler take', () => {
    expect(loadConfigFromEnv(env)).toEqual({
      phonepe: { clientId: 'TEST-M22', clientSecret: 'secret-value', clientVersion: '1', env: 'SANDBOX' },
      webhook: { username: 'hook_user', password: 'hookPass123' },
      callbackUrl: 'https://api.example.com/v1/payments/callback',
      redirectAllowlist: ['https://app.example.com', 'https://admin.example.com'],
      databaseUrl: 'postgres://app@db/app',
      databaseSystemUrl: undefined,
      frontendUrl: 'https://app.example.com',
      razorpay: undefined,
      defaultGateway: 'phonepe',
    });
  });

  it('reads Razorpay when its three secrets are set, shaped for RazorpayClient and verifyRazorpayWebhook', () => {
    const razorpay = {
      RAZORPAY_KEY_ID: 'rzp_test_1DP5mmOlF5G5ag',
      RAZORPAY_KEY_SECRET: 'key-secret',
      RAZORPAY_WEBHOOK_SECRET: 'hook-secret',
    };
    expect(loadConfigFromEnv({ ...env, ...razorpay }).razorpay).toEqual({
      keyId: 'rzp_test_1DP5mmOlF5G5ag',
      keySecret: 'key-secret',
      webhookSecret: 'hook-secret',
    });
    expect(
      loadConfigFromEnv({ ...env, ...razorpay, RAZORPAY_BASE_URL: 'http://127.0.0.1:8788/v1/' }).razorpay?.baseUrl,
    ).toBe('http://127.0.0.1:8788/v1');
    // All or none: each missing one is named, with where to find it.
    for (const missing of Object.keys(razorpay)) {
      const error = (() => {
        try {
          loadConfigFromEnv({ ...env, ...razorpay, [missing]: ' ' });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ variable: missing, message: expect.stringMatching(/Razorpay dashboard/) });
    }
    expect(() => loadConfigFromEnv({ ...env, RAZORPAY_BASE_URL: 'http://127.0.0.1:8788/v1' })).toThrow(
      /RAZORPAY_KEY_ID is not set though RAZORPAY_BASE_URL is/,
    );
    expect(() => loadConfigFromEnv({ ...env, ...razorpay, RAZORPAY_BASE_URL: 'ftp://x' })).toThrow(/RAZORPAY_BASE_URL/);
  });

  it('reads the default gateway from BILLING_DEFAULT_GATEWAY: phonepe unless told, razorpay only with Razorpay set', () => {
    const razorpay = {
      RAZORPAY_KEY_ID: 'rzp_test_1DP5mmOlF5G5ag',
      RAZORPAY_KEY_SECRET: 'key-secret',
      RAZORPAY_WEBHOOK_SECRET: 'hook-secret',
    };
    expect(loadConfigFromEnv({ ...env, BILLING_DEFAULT_GATEWAY: ' ' }).defaultGateway).toBe('phonepe');
    expect(loadConfigFromEnv({ ...env, ...razorpay }).defaultGateway).toBe('phonepe');
    expect(loadConfigFromEnv({ ...env, ...razorpay, BILLING_DEFAULT_GATEWAY: 'razorpay' }).defaultGateway).toBe(
      'razorpay',
    );
    const refusal = (extra: Record<string, string>) => {
      try {
        loadConfigFromEnv({ ...env, ...extra });
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const bad = refusal({ ...razorpay, BILLING_DEFAULT_GATEWAY: 'stripe' });
    expect(bad).toBeInstanceOf(ConfigError);
    expect(bad).toMatchObject({
      variable: 'BILLING_DEFAULT_GATEWAY',
      message: 'BILLING_DEFAULT_GATEWAY must be phonepe or razorpay',
    });
    const unconfigured = refusal({ BILLING_DEFAULT_GATEWAY: 'razorpay' });
    expect(unconfigured).toBeInstanceOf(ConfigError);
    expect(unconfigured).toMatchObject({
      variable: 'BILLING_DEFAULT_GATEWAY',
      message: expect.stringMatching(
        /^BILLING_DEFAULT_GATEWAY is razorpay but Razorpay is not configured; set RAZORPAY_KEY_ID/,
      ),
    });
  });

  it('with { database: true } requires DATABASE_URL and types it as a string (for createPgStore)', () => {
    const config = loadConfigFromEnv(env, { database: true });
    const connectionString: string = config.databaseUrl; // compiles only because database: true
    expect(connectionString).toBe('postgres://app@db/app');
    expect(() => loadConfigFromEnv({ ...env, DATABASE_URL: '' }, { database: true })).toThrow(
      /DATABASE_URL is not set/,
    );
    const jobs = loadConfigFromEnv({ ...env, PHONEPE_WEBHOOK_USERNAME: undefined }, { webhook: false, database: true });
    expect(jobs.webhook).toBeUndefined();
  });

  it("reads the worker role's connection from DATABASE_SYSTEM_URL", () => {
    expect(
      loadConfigFromEnv({ ...env, DATABASE_SYSTEM_URL: 'postgres://billing_worker@db/app' }).databaseSystemUrl,
    ).toBe('postgres://billing_worker@db/app');
    expect(loadConfigFromEnv({ ...env, DATABASE_SYSTEM_URL: ' ' }).databaseSystemUrl).toBeUndefined();
  });

  it('points the client at the emulator with PHONEPE_BASE_URL', () => {
    expect(
      loadConfigFromEnv({ ...env, PHONEPE_BASE_URL: 'http://127.0.0.1:8787/apis/pg-sandbox/' }).phonepe.baseUrls,
    ).toEqual({
      pg: 'http://127.0.0.1:8787/apis/pg-sandbox',
      oauth: 'http://127.0.0.1:8787/apis/pg-sandbox',
    });
  });

  it.each([
    ['PHONEPE_CLIENT_ID', undefined, /PHONEPE_CLIENT_ID is not set/],
    ['PHONEPE_CLIENT_SECRET', '  ', /PHONEPE_CLIENT_SECRET is empty/],
    ['PHONEPE_ENV', 'UAT', /PHONEPE_ENV must be SANDBOX or PRODUCTION/],
    ['PHONEPE_CALLBACK_URL', 'api.example.com/cb', /PHONEPE_CALLBACK_URL must be an absolute http\(s\) URL/],
    ['PAYMENT_REDIRECT_ALLOWLIST', 'https://app.example.com/billing', /must be a bare origin/],
    ['PHONEPE_WEBHOOK_PASSWORD', undefined, /PHONEPE_WEBHOOK_PASSWORD is not set/],
  ])('names %s when it is missing or bad', (variable, value, message) => {
    let error: unknown;
    try {
      loadConfigFromEnv({ ...env, [variable]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ variable });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('secret-value');
  });

  it('defaults PHONEPE_ENV to SANDBOX', () => {
    expect(loadConfigFromEnv({ ...env, PHONEPE_ENV: undefined }).phonepe.env).toBe('SANDBOX');
  });
});

describe('loadConfigFromEnv({ webhook: false })', () => {
  it('lets jobs that receive no webhooks leave the webhook credentials out', () => {
    const { PHONEPE_WEBHOOK_USERNAME: _u, PHONEPE_WEBHOOK_PASSWORD: _p, ...rest } = env;
    expect(loadConfigFromEnv(rest, { webhook: false }).webhook).toBeUndefined();
    expect(() => loadConfigFromEnv(rest)).toThrow(/PHONEPE_WEBHOOK_USERNAME is not set/);
  });
});

describe('loadConfigFromEnv: DATABASE_URL', () => {
  it('treats an empty DATABASE_URL (a blank .env line) as not set', () => {
    expect(loadConfigFromEnv({ ...env, DATABASE_URL: '' }).databaseUrl).toBeUndefined();
    expect(loadConfigFromEnv({ ...env, DATABASE_URL: '  ' }).databaseUrl).toBeUndefined();
  });

  it('.env.phonepe.example: its commented Razorpay lines, uncommented, are the Razorpay emulator’s credentials', () => {
    const lines = readFileSync(resolve(import.meta.dirname, '../../.env.phonepe.example'), 'utf8').split('\n');
    const razorpayLines = Object.fromEntries(
      lines
        .filter((line) => /^# (RAZORPAY_[A-Z_]+|BILLING_DEFAULT_GATEWAY)=/.test(line))
        .map((line) => line.slice(2).split('=') as [string, string]),
    );
    const { keyId, keySecret, webhookSecret } = defaultRazorpayEmulatorCredentials;
    const config = loadConfigFromEnv({ ...env, ...razorpayLines });
    expect(config.razorpay).toEqual({
      keyId,
      keySecret,
      webhookSecret,
      baseUrl: 'http://127.0.0.1:8788/v1',
    });
    expect(config.defaultGateway).toBe('razorpay');
  });

  it('.env.phonepe.example: names every variable loadConfigFromEnv reads', () => {
    const text = readFileSync(resolve(import.meta.dirname, '../../.env.phonepe.example'), 'utf8');
    const named = new Set([...text.matchAll(/^(?:# )?([A-Z_]+)=/gm)].map((match) => match[1]));
    expect(PHONEPE_ENV_VARIABLES.filter((variable) => !named.has(variable))).toEqual([]);
  });
});
