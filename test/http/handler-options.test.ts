import { InvalidOptionsError } from '../../src/common/invalid-options.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingHandler, type BillingHandlerOptions } from '../../src/http/index.js';
import { createHttpHarness, recordingLogger, type HttpHarness } from './support/http-harness.js';

describe('createBillingHandler options', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await createHttpHarness();
  });
  afterAll(async () => {
    await h?.close();
  });
  const build = (overrides: Record<string, unknown>) => () =>
    createBillingHandler({ ...h.options(), ...overrides } as BillingHandlerOptions);

  it('refuses unknown options, listing the known ones', () => {
    expect(build({ basepath: '/v2' })).toThrow(TypeError);
    expect(build({ basepath: '/v2' })).toThrow(InvalidOptionsError);
    expect(build({ basepath: '/v2' })).toThrow(
      'createBillingHandler options: unknown option "basepath"; known options:',
    );
    expect(build({ basepath: '/v2' })).toThrow(
      /basepath.*known options: billing, auth, webhook, basePath, callbackUrl, redirectAllowlist, roles, maxBodyBytes, logger/,
    );
  });

  it('refuses missing or malformed required options', () => {
    expect(build({ billing: {} })).toThrow(/billing must be a SubscriptionManager/);
    expect(build({ auth: { authenticate: () => null } })).toThrow(/auth must have authenticate/);
    expect(build({ webhook: { username: 'u' } })).toThrow(/webhook\.password/);
    expect(build({ webhook: { username: '', password: 'p' } })).toThrow(/webhook\.username is required/);
  });

  it('refuses a basePath that is not a clean absolute path', () => {
    for (const basePath of ['v1', '/v1/', '/v1/:id', '/v 1', '//v1', ''])
      expect(build({ basePath }), basePath).toThrow(/basePath/);
    for (const basePath of ['/', '/v1', '/billing/v1', '/api.v2_beta~1'])
      expect(build({ basePath })().basePath).toBe(basePath);
  });

  it("takes callbackUrl only as a cross-check of the manager's", () => {
    expect(build({ callbackUrl: 'https://api.example.com/v1/payments/callback' })).not.toThrow();
    expect(build({ callbackUrl: 'https://API.example.com:443/v1/payments/callback' })).not.toThrow();
    expect(build({ callbackUrl: 'https://api.example.com/v2/payments/callback' })).toThrow(
      /differs from the SubscriptionManager's config\.callbackUrl.*configure it once, on the manager/,
    );
  });

  it('validates roles, the body limit and the extra allowlist', () => {
    expect(build({ roles: { manage: ['superuser'] } })).toThrow(/roles\.manage/);
    expect(build({ roles: { manage: [] } })).toThrow(/roles\.manage/);
    expect(build({ roles: { write: ['owner'] } })).toThrow(/roles/);
    expect(build({ maxBodyBytes: 10 })).toThrow(/maxBodyBytes/);
    expect(build({ maxBodyBytes: 1500.5 })).toThrow(/maxBodyBytes/);
    expect(build({ redirectAllowlist: ['https://shop.example.com/path'] })).toThrow(/redirectAllowlist: .*bare origin/);
    expect(build({})().maxBodyBytes).toBe(65_536);
  });

  it("warns when the manager's callbackUrl does not point at this handler's callback route", () => {
    const logger = recordingLogger();
    createBillingHandler(h.options({ logger, basePath: '/v2' }));
    expect(logger.entries).toEqual([
      expect.objectContaining({
        level: 'warn',
        obj: expect.objectContaining({ callbackPath: '/v1/payments/callback' }),
      }),
    ]);
    const quiet = recordingLogger();
    createBillingHandler(h.options({ logger: quiet }));
    expect(quiet.entries).toEqual([]);
  });
});
