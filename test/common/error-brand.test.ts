import { describe, expect, it, vi } from 'vitest';

// Two copies of the library in one process (an ESM and a CJS consumer, or two versions in node_modules)
// have two copies of every error class; `instanceof` then fails across them. Each family's `is…` guard
// must still recognise the other copy's errors. vi.resetModules() gives a second copy of each module.
type Family = { module: string; cls: string; guard: string; make: (C: any) => Error };

const FAMILIES: Family[] = [
  {
    module: '../../src/billing/errors.js',
    cls: 'BillingError',
    guard: 'isBillingError',
    make: (C) => new C('INVALID_INPUT', 'x'),
  },
  {
    module: '../../src/billing/errors.js',
    cls: 'QuotaExceededError',
    guard: 'isQuotaExceededError',
    make: (C) => new C('ws', 'projects', 3, 3, 1),
  },
  {
    module: '../../src/config/config-error.js',
    cls: 'ConfigError',
    guard: 'isConfigError',
    make: (C) => new C('PHONEPE_ENV', 'x'),
  },
  {
    module: '../../src/http/errors.js',
    cls: 'BillingHttpError',
    guard: 'isBillingHttpError',
    make: (C) => new C('INVALID_JSON', 'x'),
  },
  {
    module: '../../src/storage/errors.js',
    cls: 'StoreConflictError',
    guard: 'isStoreConflictError',
    make: (C) => new C('payments_merchant_order_id', 'x'),
  },
  {
    module: '../../src/storage/errors.js',
    cls: 'StoreInputError',
    guard: 'isStoreInputError',
    make: (C) => new C('payments.insert', 'workspaceId', 'nul_character', 'x'),
  },
  {
    module: '../../src/storage/errors.js',
    cls: 'StoreScopeError',
    guard: 'isStoreScopeError',
    make: (C) => new C('x'),
  },
  {
    module: '../../src/storage/errors.js',
    cls: 'StoreUnavailableError',
    guard: 'isStoreUnavailableError',
    make: (C) => new C('x'),
  },
  {
    module: '../../src/storage/kysely/migrations.js',
    cls: 'MigrationError',
    guard: 'isMigrationError',
    make: (C) => new C('MIGRATION_FAILED', 'x'),
  },
  {
    module: '../../src/storage/kysely/errors.js',
    cls: 'StorePrivilegeError',
    guard: 'isStorePrivilegeError',
    make: (C) => new C('app', 'grant x to app', 'x'),
  },
  {
    module: '../../src/storage/kysely/errors.js',
    cls: 'StoreSetupError',
    guard: 'isStoreSetupError',
    make: (C) => new C('x', 'fix'),
  },
  {
    module: '../../src/common/invalid-options.js',
    cls: 'InvalidOptionsError',
    guard: 'isInvalidOptionsError',
    make: (C) => new C('Owner', 'option', 'x'),
  },
  {
    module: '../../src/webhooks/index.js',
    cls: 'WebhookVerificationError',
    guard: 'isWebhookVerificationError',
    make: (C) => new C('authorization_mismatch', 'x'),
  },
  {
    module: '../../src/testing/errors.js',
    cls: 'PhonePeEmulatorError',
    guard: 'isPhonePeEmulatorError',
    make: (C) => new C(404, 'NOT_FOUND', 'x'),
  },
  {
    module: '../../src/client/index.js',
    cls: 'PhonePeServerError',
    guard: 'isPhonePeError',
    make: (C) => new C({ code: 'SERVER_ERROR', message: 'x', status: 500 }),
  },
];

describe('every error family is recognised across two copies of the library', () => {
  it.each(FAMILIES.map((f) => [f.cls, f] as const))('%s', async (_name, family) => {
    vi.resetModules();
    const first = await import(family.module);
    vi.resetModules();
    const second = await import(family.module);
    expect(first[family.cls]).not.toBe(second[family.cls]);
    const error = family.make(first[family.cls]);
    expect(error).not.toBeInstanceOf(second[family.cls]);
    expect(second[family.guard](error)).toBe(true);
    expect(first[family.guard](error)).toBe(true);
    expect(second[family.guard](new Error(error.message))).toBe(false);
    expect(second[family.guard]({ ...error, name: error.name })).toBe(false);
  });

  it('a guard does not accept another family', async () => {
    const { BillingError } = await import('../../src/billing/errors.js');
    const { isConfigError } = await import('../../src/config/config-error.js');
    const { isStoreScopeError } = await import('../../src/storage/errors.js');
    const error = new BillingError('INVALID_INPUT', 'x');
    expect(isConfigError(error)).toBe(false);
    expect(isStoreScopeError(error)).toBe(false);
  });
});
