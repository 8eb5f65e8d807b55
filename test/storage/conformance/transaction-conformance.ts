import { expect, it } from 'vitest';
import {
  isStoreConflictError,
  StoreConflictError,
  StoreScopeError,
  type BillingTransaction,
} from '../../../src/storage/index.js';
import { aPayment, aPlan, scopeOf, SYSTEM, T0, uid } from './fixtures.js';
import type { StoreHarness } from './store-harness.js';

/** `transaction`: commit, rollback, doom, lifetime, copies, input checks. */
export function transactionConformance(h: () => StoreHarness): void {
  const sys = <T>(fn: (tx: BillingTransaction) => Promise<T>) => h().store.transaction(SYSTEM, fn);

  it('commits everything the callback wrote and returns its result', async () => {
    const payment = aPayment();
    const result = await sys(async (tx) => {
      await tx.payments.insert(payment);
      await tx.audit.append({
        workspaceId: payment.workspaceId,
        actor: 'test',
        action: 'x',
        entityType: 'payment',
        entityId: payment.id,
        data: {},
        createdAt: T0,
      });
      return 'done';
    });
    expect(result).toBe('done');
    expect(await sys((tx) => tx.payments.getById(payment.id))).toEqual(payment);
    expect(await sys((tx) => tx.audit.listByWorkspace(payment.workspaceId, { limit: 10 }))).toHaveLength(1);
  });

  it('rolls back every write when the callback throws, and rethrows the error unchanged', async () => {
    const payment = aPayment();
    const plan = aPlan();
    const failure = new Error('boom');
    await expect(
      sys(async (tx) => {
        await tx.plans.upsert(plan);
        await tx.payments.insert(payment);
        await tx.usage.increment({
          workspaceId: payment.workspaceId,
          metric: 'm',
          periodStart: T0,
          by: 1,
          limit: null,
          usageKey: 'k',
          now: T0,
        });
        throw failure;
      }),
    ).rejects.toBe(failure);
    await sys(async (tx) => {
      expect(await tx.payments.getById(payment.id)).toBeNull();
      expect(await tx.plans.get(plan.id)).toBeNull();
      expect(await tx.usage.get(payment.workspaceId, T0)).toEqual({});
    });
    // The usage key was rolled back with its increment: the same key counts now.
    const again = await sys((tx) =>
      tx.usage.increment({
        workspaceId: payment.workspaceId,
        metric: 'm',
        periodStart: T0,
        by: 1,
        limit: null,
        usageKey: 'k',
        now: T0,
      }),
    );
    expect(again).toEqual({ ok: true, used: 1, duplicate: false });
  });

  it('dooms the transaction when an operation fails, even if the callback catches the error', async () => {
    const first = aPayment();
    await sys((tx) => tx.payments.insert(first));
    const other = aPayment();
    let caught: unknown;
    const outcome = sys(async (tx) => {
      await tx.payments.insert(other);
      try {
        await tx.payments.insert({ ...aPayment(), merchantOrderId: first.merchantOrderId });
      } catch (error) {
        caught = error;
      }
      await expect(tx.payments.getById(other.id)).rejects.toBe(caught);
      return 'swallowed';
    });
    await expect(outcome).rejects.toBeInstanceOf(StoreConflictError);
    await expect(outcome).rejects.toBe(caught);
    expect(await sys((tx) => tx.payments.getById(other.id))).toBeNull();
  });

  it('refuses to use tx after the callback has settled', async () => {
    let leaked: BillingTransaction | undefined;
    await sys(async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.payments.insert(aPayment())).rejects.toThrow(/already ended/);
  });

  it('returns copies: mutating a record given or returned does not change what is stored', async () => {
    const payment = aPayment({ metadata: { nested: { n: 1 } } });
    const inserted = await sys((tx) => tx.payments.insert(payment));
    payment.metadata.nested = { n: 2 };
    (inserted.metadata.nested as { n: number }).n = 3;
    inserted.state = 'completed';
    const stored = await sys((tx) => tx.payments.getById(payment.id));
    expect(stored?.metadata).toEqual({ nested: { n: 1 } });
    expect(stored?.state).toBe('created');
  });

  it('refuses a malformed scope and malformed records with a TypeError, writing nothing', async () => {
    await expect(h().store.transaction({ workspaceId: '' }, async () => 1)).rejects.toBeInstanceOf(TypeError);
    await expect(h().store.transaction({} as never, async () => 1)).rejects.toBeInstanceOf(TypeError);
    const bad = aPayment({ amountPaise: 10.5 });
    await expect(sys((tx) => tx.payments.insert(bad))).rejects.toThrow(/amountPaise/);
    await expect(sys((tx) => tx.payments.insert(aPayment({ amountPaise: -1 })))).rejects.toBeInstanceOf(TypeError);
    await expect(sys((tx) => tx.payments.insert({ ...aPayment(), state: 'paid' as never }))).rejects.toThrow(/state/);
    await expect(sys((tx) => tx.payments.update(uid('pay'), { state: 'completed' } as never, T0))).rejects.toThrow(
      /state/,
    );
    expect(await sys((tx) => tx.payments.getById(bad.id))).toBeNull();
  });

  it('a workspace scope sees only its rows, cannot write another workspace, and cannot write plans', async () => {
    const mine = aPayment();
    const theirs = aPayment();
    await sys(async (tx) => {
      await tx.payments.insert(mine);
      await tx.payments.insert(theirs);
    });
    await h().store.transaction(scopeOf(mine.workspaceId), async (tx) => {
      expect(await tx.payments.getById(mine.id)).toEqual(mine);
      expect(await tx.payments.getById(theirs.id)).toBeNull();
      expect(await tx.payments.getByMerchantOrderId(theirs.merchantOrderId)).toBeNull();
      expect(await tx.payments.listByWorkspace(theirs.workspaceId, { limit: 10 })).toEqual([]);
      expect(await tx.payments.listStale({ states: ['created'], olderThan: T0, limit: 10 })).toEqual([mine]);
      expect(await tx.payments.update(theirs.id, { errorCode: 'X' }, T0 + 1)).toBeNull();
      expect(await tx.payments.transition(theirs.id, { from: ['created'], to: 'pending', now: T0 + 1 })).toBeNull();
    });
    const foreignInsert = h().store.transaction(scopeOf(mine.workspaceId), (tx) =>
      tx.payments.insert(aPayment({ workspaceId: theirs.workspaceId })),
    );
    await expect(foreignInsert).rejects.toBeInstanceOf(StoreScopeError);
    await expect(
      h().store.transaction(scopeOf(mine.workspaceId), (tx) => tx.plans.upsert(aPlan())),
    ).rejects.toBeInstanceOf(StoreScopeError);
    expect(await sys((tx) => tx.payments.getById(theirs.id))).toEqual(theirs);
  });

  it('maps conflicts to StoreConflictError with the port constraint name', async () => {
    const payment = aPayment();
    await sys((tx) => tx.payments.insert(payment));
    const error = await sys((tx) => tx.payments.insert({ ...aPayment(), id: payment.id })).catch((e: unknown) => e);
    expect(isStoreConflictError(error) && error.constraint).toBe('primary_key');
    expect((error as Error).message).toMatch(/primary_key/);
  });
}
