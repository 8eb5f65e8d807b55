import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/storage/memory/memory-store.js';
import { runConformanceSuite } from '../conformance/run-conformance.js';
import { aPayment, SYSTEM } from '../conformance/fixtures.js';

runConformanceSuite('MemoryStore', async () => {
  const harness = {
    store: new MemoryStore(),
    // One process: every "worker" is the same store; its serialised transactions give the guarantees.
    workers: async (n: number) => Array.from({ length: n }, () => harness.store),
    reset: async () => {
      harness.store = new MemoryStore();
    },
    close: async () => harness.store.close(),
  };
  return harness;
});

describe('MemoryStore', () => {
  it('refuses unknown options, listing the known ones', () => {
    expect(() => new MemoryStore({ idz: () => 'x' } as never)).toThrow(
      /MemoryStore options: unknown option "idz"; known options: ids/,
    );
  });

  it('uses the injected id generator for audit entries', async () => {
    const store = new MemoryStore({ ids: (prefix) => `${prefix}_fixed` });
    const entry = await store.transaction(SYSTEM, (tx) =>
      tx.audit.append({
        workspaceId: 'ws',
        actor: 'a',
        action: 'b',
        entityType: 'plan',
        entityId: 'p',
        data: {},
        createdAt: 0,
      }),
    );
    expect(entry.id).toBe('aud_fixed');
  });

  it('runs transactions one at a time, in call order', async () => {
    const store = new MemoryStore();
    const order: string[] = [];
    let releaseFirst!: () => void;
    const first = store.transaction(SYSTEM, async (tx) => {
      order.push('first:start');
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      await tx.payments.insert(aPayment({ id: 'p1' }));
      order.push('first:end');
    });
    const second = store.transaction(SYSTEM, async (tx) => {
      order.push('second:start');
      order.push(`second:sees:${(await tx.payments.getById('p1'))?.id}`);
    });
    await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['first:start', 'first:end', 'second:start', 'second:sees:p1']);
  });
});
