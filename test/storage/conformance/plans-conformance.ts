import { expect, it } from 'vitest';
import type { BillingTransaction } from '../../../src/storage/index.js';
import { aPlan, scopeOf, SYSTEM, T0, uid } from './fixtures.js';
import type { StoreHarness } from './store-harness.js';

/** `plans`: upsert keeps createdAt; listActive order; readable under every scope. */
export function plansConformance(h: () => StoreHarness): void {
  const sys = <T>(fn: (tx: BillingTransaction) => Promise<T>) => h().store.transaction(SYSTEM, fn);

  it('upserts a plan, replacing every field but createdAt', async () => {
    const plan = aPlan({ limits: { projects: 5, api_calls: null }, features: ['a', 'b'] });
    expect(await sys((tx) => tx.plans.upsert(plan))).toEqual(plan);
    const changed = {
      ...plan,
      name: 'Pro 2',
      pricePaise: 399_900,
      limits: { projects: 10 },
      features: [],
      active: false,
      createdAt: T0 + 5,
      updatedAt: T0 + 5,
    };
    expect(await sys((tx) => tx.plans.upsert(changed))).toEqual({ ...changed, createdAt: T0 });
    expect(await sys((tx) => tx.plans.get(plan.id))).toEqual({ ...changed, createdAt: T0 });
    expect(await sys((tx) => tx.plans.get(uid('plan')))).toBeNull();
  });

  it('lists active plans by sortOrder, then price, then id, under any scope', async () => {
    const plans = [
      aPlan({ id: 'p_c', sortOrder: 2, pricePaise: 100 }),
      aPlan({ id: 'p_b', sortOrder: 1, pricePaise: 500 }),
      aPlan({ id: 'p_a', sortOrder: 1, pricePaise: 500 }),
      aPlan({ id: 'p_d', sortOrder: 1, pricePaise: 100 }),
      aPlan({ id: 'p_off', sortOrder: 0, active: false }),
    ];
    await sys(async (tx) => {
      for (const plan of plans) await tx.plans.upsert(plan);
    });
    const listed = await h().store.transaction(scopeOf(uid('ws')), (tx) => tx.plans.listActive());
    expect(listed.map((plan) => plan.id)).toEqual(['p_d', 'p_a', 'p_b', 'p_c']);
    expect(await h().store.transaction(scopeOf(uid('ws')), (tx) => tx.plans.get('p_off'))).toEqual(plans[4]);
  });
}
