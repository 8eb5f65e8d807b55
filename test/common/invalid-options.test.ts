import { describe, expect, it } from 'vitest';
import { PhonePeClient } from '../../src/client/index.js';
import { type InvalidOptionsError, isInvalidOptionsError } from '../../src/common/invalid-options.js';
import { SubscriptionManager } from '../../src/billing/index.js';
import { createPgliteStore } from '../../src/storage/kysely/index.js';
import { MemoryStore } from '../../src/storage/memory/memory-store.js';

// One error class and one message shape for a mistaken option, whoever is constructed.
const client = new PhonePeClient({ clientId: 'c', clientSecret: 's', clientVersion: 1, env: 'SANDBOX' });
const plans = [{ id: 'free', name: 'Free', price: 0, interval: 'month' as const, limits: {} }];
const config = { callbackUrl: 'https://api.example.com/cb', redirectAllowlist: ['https://app.example.com'] };

function thrown(fn: () => unknown): InvalidOptionsError {
  try {
    fn();
  } catch (error) {
    expect(isInvalidOptionsError(error)).toBe(true);
    expect(error).toBeInstanceOf(TypeError);
    return error as InvalidOptionsError;
  }
  throw new Error('expected the call to throw');
}

describe('InvalidOptionsError', () => {
  it('SubscriptionManager: an unknown option is named with the known ones', () => {
    const error = thrown(
      () => new SubscriptionManager({ client, store: new MemoryStore(), plans, config, clok: 1 } as never),
    );
    expect(error).toMatchObject({ code: 'INVALID_OPTIONS', owner: 'SubscriptionManager', option: 'clok' });
    expect(error.message).toBe(
      'SubscriptionManager options: unknown option "clok"; known options: client, gateways, defaultGateway, store, plans, config, hooks, clock, logger, ids, metrics.',
    );
  });

  it('SubscriptionManager: a mistake inside config is named by its full path', () => {
    const bad = thrown(
      () =>
        new SubscriptionManager({
          client,
          store: new MemoryStore(),
          plans,
          config: { ...config, callbackUrl: 'ftp://x' },
        }),
    );
    expect(bad).toMatchObject({ owner: 'SubscriptionManager', option: 'config.callbackUrl' });
    expect(bad.message).toMatch(/^SubscriptionManager options: config\.callbackUrl is invalid \(/);
    const unknown = thrown(
      () =>
        new SubscriptionManager({
          client,
          store: new MemoryStore(),
          plans,
          config: { ...config, callbackURL: 'x' } as never,
        }),
    );
    expect(unknown).toMatchObject({ option: 'config.callbackURL' });
    expect(unknown.message).toMatch(/unknown option "config\.callbackURL"; known options of config: callbackUrl, /);
  });

  it('SubscriptionManager: a misspelt hook is refused, not silently never called', () => {
    const error = thrown(
      () =>
        new SubscriptionManager({
          client,
          store: new MemoryStore(),
          plans,
          config,
          hooks: { paymentComplete: () => {} },
        } as never),
    );
    expect(error).toMatchObject({ owner: 'SubscriptionManager', option: 'hooks.paymentComplete' });
    expect(error.message).toMatch(
      /unknown option "hooks\.paymentComplete"; known options of hooks: paymentCompleted, /,
    );
    expect(
      thrown(
        () =>
          new SubscriptionManager({
            client,
            store: new MemoryStore(),
            plans,
            config,
            hooks: { paymentCompleted: 1 },
          } as never),
      ).message,
    ).toBe(
      'SubscriptionManager options: hooks.paymentCompleted is invalid (hooks.paymentCompleted must be a function).',
    );
  });

  it('MemoryStore and createPgliteStore: the same shape', async () => {
    expect(thrown(() => new MemoryStore({ idz: () => 'x' } as never)).message).toBe(
      'MemoryStore options: unknown option "idz"; known options: ids.',
    );
    const error = await createPgliteStore({ datadir: 'x' } as never).catch((e: unknown) => e);
    expect(isInvalidOptionsError(error)).toBe(true);
    expect(error).toMatchObject({ owner: 'createPgliteStore', option: 'datadir' });
  });
});
