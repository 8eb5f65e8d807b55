import { expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../../src/common/json-nesting.js';
import { isStoreInputError, type StoreInputError, type BillingTransaction } from '../../../src/storage/index.js';
import { aPayment, aRefund, aSubscription, anAuditEntry, scopeOf, SYSTEM, T0, uid } from './fixtures.js';
import type { StoreHarness } from './store-harness.js';

const NUL = 'reason\u0000hidden';
const LONE = 'half an emoji \ud83d';
const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

/**
 * Strings PostgreSQL cannot hold (a NUL character, a lone UTF-16 surrogate) and JSON nested past
 * MAX_JSON_DEPTH are refused by every store with the same `StoreInputError`, naming the field,
 * before anything is written — the memory store included, though it could hold them.
 */
export function unstorableInputConformance(h: () => StoreHarness): void {
  const sys = <T>(fn: (tx: BillingTransaction) => Promise<T>) => h().store.transaction(SYSTEM, fn);
  const refusal = async (promise: Promise<unknown>): Promise<StoreInputError> => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(isStoreInputError(error), `expected a StoreInputError, got ${String(error)}`).toBe(true);
    expect(error).toBeInstanceOf(TypeError);
    return error as StoreInputError;
  };

  it('refuses a NUL character or a lone surrogate in any text field of a record, writing nothing', async () => {
    for (const bad of [NUL, LONE]) {
      const problem = bad === NUL ? 'nul_character' : 'lone_surrogate';
      const payment = aPayment({ returnUrl: `https://app.example.com/${bad}` });
      const inserted = await refusal(sys((tx) => tx.payments.insert(payment)));
      expect([inserted.operation, inserted.field, inserted.problem, inserted.code]).toEqual([
        'payments.insert',
        'returnUrl',
        problem,
        'STORE_INVALID_INPUT',
      ]);
      expect(inserted.message).toMatch(/payments\.insert: returnUrl contains/);
      expect(await sys((tx) => tx.payments.getById(payment.id))).toBeNull();

      const withMetadata = aPayment({ metadata: { note: { [`key${bad}`]: 1 } } });
      expect((await refusal(sys((tx) => tx.payments.insert(withMetadata)))).problem).toBe(problem);
      expect(await sys((tx) => tx.payments.getById(withMetadata.id))).toBeNull();
    }
  });

  it('refuses them in patches and transitions, leaving the row as it was', async () => {
    const payment = aPayment();
    const subscription = aSubscription({ workspaceId: payment.workspaceId });
    await sys(async (tx) => {
      await tx.payments.insert(payment);
      await tx.subscriptions.insert(subscription);
    });
    const cancel = await refusal(
      sys((tx) =>
        tx.subscriptions.update(
          subscription.id,
          subscription.version,
          { cancellationReason: NUL, cancelAtPeriodEnd: true },
          T0 + 1,
        ),
      ),
    );
    expect([cancel.operation, cancel.field]).toEqual(['subscriptions.update', 'cancellationReason']);
    const transition = await refusal(
      sys((tx) =>
        tx.payments.transition(payment.id, {
          from: ['created'],
          to: 'failed',
          patch: { errorCode: LONE },
          now: T0 + 1,
        }),
      ),
    );
    expect([transition.operation, transition.field, transition.problem]).toEqual([
      'payments.transition',
      'patch.errorCode',
      'lone_surrogate',
    ]);
    await refusal(sys((tx) => tx.payments.update(payment.id, { metadata: { a: NUL } }, T0 + 1)));
    expect(await sys((tx) => tx.subscriptions.getById(subscription.id))).toEqual(subscription);
    expect(await sys((tx) => tx.payments.getById(payment.id))).toEqual(payment);
  });

  it('refuses them in refunds, audit entries, usage keys and webhook payloads', async () => {
    const payment = aPayment();
    await sys((tx) => tx.payments.insert(payment));
    const refund = aRefund(payment, { reason: NUL });
    expect((await refusal(sys((tx) => tx.refunds.insert(refund)))).field).toBe('reason');
    expect(await sys((tx) => tx.refunds.listByPayment(payment.id))).toEqual([]);
    expect(
      (await refusal(sys((tx) => tx.audit.append(anAuditEntry(payment.workspaceId, { data: { reason: LONE } })))))
        .field,
    ).toBe('data.reason');
    expect(await sys((tx) => tx.audit.listByWorkspace(payment.workspaceId, { limit: 10 }))).toEqual([]);
    const usage = {
      workspaceId: payment.workspaceId,
      metric: 'api_calls',
      periodStart: T0,
      by: 1,
      limit: null,
      usageKey: `k${NUL}`,
      now: T0,
    };
    expect((await refusal(sys((tx) => tx.usage.increment(usage)))).field).toBe('usageKey');
    expect(await sys((tx) => tx.usage.get(payment.workspaceId, T0))).toEqual({});
    const key = uid('evt');
    const webhook = {
      dedupeKey: key,
      event: 'checkout.order.completed',
      subjectId: 'ORD_1',
      payload: { paymentDetails: [{ note: NUL }] },
      now: T0,
    };
    const recorded = await refusal(sys((tx) => tx.webhookEvents.record(webhook)));
    expect([recorded.operation, recorded.field]).toEqual(['webhookEvents.record', 'payload.paymentDetails.0.note']);
    expect(await sys((tx) => tx.webhookEvents.get(key))).toBeNull();
  });

  it(`refuses JSON nested more than ${MAX_JSON_DEPTH} levels (20,000 levels included) without overflowing the stack`, async () => {
    const key = uid('evt');
    const deep = {
      dedupeKey: key,
      event: 'checkout.order.completed',
      subjectId: null,
      payload: nested(20_000),
      now: T0,
    };
    const refused = await refusal(sys((tx) => tx.webhookEvents.record(deep)));
    expect([refused.problem, refused.message]).toEqual(['too_deep', expect.stringMatching(/more than 64 levels/)]);
    expect(await sys((tx) => tx.webhookEvents.get(key))).toBeNull();
    // The limit counts from the argument itself: the record (1) holds payload (2), which may nest up to the limit.
    const deepest = { ...deep, dedupeKey: uid('evt'), payload: nested(MAX_JSON_DEPTH - 1) };
    expect((await sys((tx) => tx.webhookEvents.record(deepest))).firstSeen).toBe(true);
    expect(
      (
        await refusal(
          sys((tx) => tx.webhookEvents.record({ ...deepest, dedupeKey: uid('evt'), payload: nested(MAX_JSON_DEPTH) })),
        )
      ).problem,
    ).toBe('too_deep');
  });

  it('refuses them in lookups and in the scope too, the same on every store (never a driver error)', async () => {
    const lookup = await refusal(sys((tx) => tx.payments.getByMerchantOrderId(`ord${NUL}`)));
    expect([lookup.operation, lookup.field]).toEqual(['payments.getByMerchantOrderId', 'argument 1']);
    await refusal(sys((tx) => tx.webhookEvents.get(`evt${LONE}`)));
    const scope = await refusal(h().store.transaction(scopeOf(`ws${NUL}`), async () => 1));
    expect([scope.operation, scope.field]).toEqual(['transaction', 'scope.workspaceId']);
  });

  it('still stores every other string: emoji, accents, control characters other than NUL', async () => {
    const text = 'Ünïcödé 🙂 \t tab \u0001 \u001f \u2028 \uffff';
    const payment = aPayment({ returnUrl: `https://app.example.com/${text}`, metadata: { note: text, [text]: text } });
    await sys((tx) => tx.payments.insert(payment));
    expect(await sys((tx) => tx.payments.getById(payment.id))).toEqual(payment);
  });
}
