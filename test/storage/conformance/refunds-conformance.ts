import { expect, it } from 'vitest';
import type { BillingTransaction } from '../../../src/storage/index.js';
import { aPayment, aRefund, SYSTEM, T0, uid } from './fixtures.js';
import type { StoreHarness } from './store-harness.js';

const conflictNamed = (constraint: string) => expect.objectContaining({ name: 'StoreConflictError', constraint });

/** `refunds`: unique rules, one open refund per payment, compare-and-set, sums, lists. */
export function refundsConformance(h: () => StoreHarness): void {
  const sys = <T>(fn: (tx: BillingTransaction) => Promise<T>) => h().store.transaction(SYSTEM, fn);
  const paid = async () => {
    const payment = aPayment({ state: 'completed' });
    await sys((tx) => tx.payments.insert(payment));
    return payment;
  };

  it('inserts a refund and reads it by id and merchant refund id', async () => {
    const refund = aRefund(await paid());
    expect(await sys((tx) => tx.refunds.insert(refund))).toEqual(refund);
    expect(await sys((tx) => tx.refunds.getById(refund.id))).toEqual(refund);
    expect(await sys((tx) => tx.refunds.getByMerchantRefundId(refund.merchantRefundId))).toEqual(refund);
    expect(await sys((tx) => tx.refunds.getByMerchantRefundId(uid('REF')))).toBeNull();
  });

  it('refuses a reused merchant refund id and a second open refund of one payment', async () => {
    const payment = await paid();
    const first = aRefund(payment);
    await sys((tx) => tx.refunds.insert(first));
    await expect(
      sys((tx) => tx.refunds.insert(aRefund(aPayment(), { merchantRefundId: first.merchantRefundId }))),
    ).rejects.toEqual(conflictNamed('refund_merchant_refund_id'));
    await expect(sys((tx) => tx.refunds.insert(aRefund(payment, { state: 'confirmed' })))).rejects.toEqual(
      conflictNamed('refund_open_per_payment'),
    );
    // Once the open refund settles, the payment may get another one.
    await sys((tx) =>
      tx.refunds.transition(first.id, {
        from: ['pending', 'confirmed'],
        to: 'failed',
        patch: { errorCode: 'X' },
        now: T0 + 1,
      }),
    );
    await sys((tx) => tx.refunds.insert(aRefund(payment)));
  });

  it('transition is compare-and-set; update patches non-state fields', async () => {
    const refund = aRefund(await paid());
    await sys((tx) => tx.refunds.insert(refund));
    const confirmed = await sys((tx) =>
      tx.refunds.transition(refund.id, {
        from: ['pending'],
        to: 'confirmed',
        patch: { phonepeRefundId: 'OMR1' },
        now: T0 + 1,
      }),
    );
    expect(confirmed).toEqual({ ...refund, state: 'confirmed', phonepeRefundId: 'OMR1', updatedAt: T0 + 1 });
    expect(
      await sys((tx) => tx.refunds.transition(refund.id, { from: ['pending'], to: 'failed', now: T0 + 2 })),
    ).toBeNull();
    const checked = await sys((tx) => tx.refunds.update(refund.id, { lastCheckedAt: T0 + 3 }, T0 + 3));
    expect(checked).toEqual({ ...confirmed, lastCheckedAt: T0 + 3, updatedAt: T0 + 3 });
    expect(await sys((tx) => tx.refunds.update(uid('ref'), { lastCheckedAt: T0 }, T0))).toBeNull();
  });

  it("lists a payment's refunds oldest first and sums all but the failed ones", async () => {
    const payment = await paid();
    const failed = aRefund(payment, { id: 'rf_a', state: 'failed', amountPaise: 1_000, createdAt: T0 });
    const done = aRefund(payment, { id: 'rf_b', state: 'completed', amountPaise: 2_000, createdAt: T0 + 1 });
    const open = aRefund(payment, { id: 'rf_c', state: 'pending', amountPaise: 3_000, createdAt: T0 + 2 });
    await sys(async (tx) => {
      for (const refund of [open, failed, done, aRefund(await tx.payments.insert(aPayment()))])
        await tx.refunds.insert(refund);
    });
    expect((await sys((tx) => tx.refunds.listByPayment(payment.id))).map((r) => r.id)).toEqual([
      'rf_a',
      'rf_b',
      'rf_c',
    ]);
    expect(await sys((tx) => tx.refunds.sumRefunded(payment.id))).toBe(5_000);
    expect(await sys((tx) => tx.refunds.sumRefunded(uid('pay')))).toBe(0);
  });

  it('lists stale refunds least recently checked first', async () => {
    const refunds = [
      aRefund(aPayment(), { id: 'rs_checked', state: 'pending', createdAt: T0 - 9, lastCheckedAt: T0 - 1 }),
      aRefund(aPayment(), { id: 'rs_never', state: 'confirmed', createdAt: T0 - 5 }),
      aRefund(aPayment(), { id: 'rs_new', state: 'pending', createdAt: T0 + 5 }),
      aRefund(aPayment(), { id: 'rs_done', state: 'completed', createdAt: T0 - 20 }),
    ];
    await sys(async (tx) => {
      for (const refund of refunds) await tx.refunds.insert(refund);
    });
    const stale = await sys((tx) =>
      tx.refunds.listStale({ states: ['pending', 'confirmed'], olderThan: T0, limit: 10 }),
    );
    expect(stale.map((r) => r.id)).toEqual(['rs_never', 'rs_checked']);
  });
}
