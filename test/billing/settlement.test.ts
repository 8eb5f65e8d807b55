import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { billingConfigSchema } from '../../src/billing/billing-config.js';
import type { BillingContext } from '../../src/billing/billing-context.js';
import { createReturnUrlAllowlist } from '../../src/billing/return-url-allowlist.js';
import { planRecordsFromDefinitions } from '../../src/billing/plan-definition.js';
import { createPhonePeGateway, phonePeSignal } from '../../src/billing/phonepe-gateway.js';
import { applyPaymentSignal, InFlight } from '../../src/billing/settlement.js';
import type { OrderStatus } from '../../src/client/responses.js';
import type { PaymentSignal } from '../../src/billing/payment-state-machine.js';
import { newPaymentRecord } from '../../src/billing/checkout.js';
import { PhonePeClient } from '../../src/client/phonepe-client.js';
import { createManualClock } from '../../src/common/clock.js';
import { silentLogger } from '../../src/common/logger.js';
import { defaultIdGenerator } from '../../src/common/id-generator.js';
import { MemoryStore } from '../../src/storage/memory/memory-store.js';
import type { PaymentState } from '../../src/storage/records.js';
import { PLANS, START, DAY } from './support/billing-harness.js';

// Settlement through the real manager code and a real (memory) store — no PhonePe calls are needed for
// status signals, so the client points nowhere and is never used.
function context(): BillingContext & { hookCount: Record<string, number> } {
  const clock = createManualClock(START);
  const hookCount: Record<string, number> = {};
  const count = (name: string) => () => {
    hookCount[name] = (hookCount[name] ?? 0) + 1;
  };
  const config = billingConfigSchema.parse({
    callbackUrl: 'https://api.example.com/v1/payments/callback',
    redirectAllowlist: ['https://app.example.com'],
  });
  const client = new PhonePeClient({
    clientId: 'x',
    clientSecret: 'y',
    clientVersion: '1',
    env: 'SANDBOX',
    baseUrls: { pg: 'http://127.0.0.1:9/pg', oauth: 'http://127.0.0.1:9/oauth' },
  });
  const gateway = createPhonePeGateway({ client, pathFamily: config.autopay.pathFamily, logger: silentLogger });
  return {
    gateway,
    gateways: new Map([[gateway.name, gateway]]),
    store: new MemoryStore(),
    config,
    hooks: {
      subscriptionRenewed: count('renewed'),
      subscriptionActivated: count('activated'),
      paymentCompleted: count('completed'),
      anomaly: count('anomaly'),
    },
    clock,
    logger: silentLogger,
    ids: defaultIdGenerator,
    allowlist: createReturnUrlAllowlist({ origins: config.redirectAllowlist }),
    plans: new Map(planRecordsFromDefinitions(PLANS, START).map((p) => [p.id, p])),
    webhooksInFlight: new InFlight(),
    instruments: null,
    hookCount,
  };
}

const states = ['PENDING', 'COMPLETED', 'FAILED', 'NOTIFIED', 'UNKNOWN_STATE'] as const;
const sources = ['webhook', 'redirect', 'refresh', 'reconcile'] as const;
const signal = fc.record({
  state: fc.constantFrom(...states),
  tamperAmount: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  source: fc.constantFrom(...sources),
  concurrent: fc.boolean(),
  authoritative: fc.boolean(),
});

describe('settlement properties (real manager code, memory store)', () => {
  it('for any sequence of signals, a payment only moves forward, never leaves completed, and extends its subscription exactly once iff completed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(signal, { minLength: 1, maxLength: 12 }), async (signals) => {
        const ctx = context();
        const now = ctx.clock.now();
        // An active subscription and the renewal payment for its next period.
        const sub = await ctx.store.transaction({ system: true }, async (tx) => {
          await tx.plans.upsert(ctx.plans.get('pro')!);
          return tx.subscriptions.insert({
            id: 'sub_1',
            workspaceId: 'ws',
            planId: 'pro',
            status: 'active',
            renewalMode: 'manual',
            currentPeriodStart: now,
            currentPeriodEnd: now + 30 * DAY,
            cancelAtPeriodEnd: false,
            cancelledAt: null,
            cancellationReason: null,
            endedAt: null,
            pendingPlanId: null,
            merchantSubscriptionId: null,
            phonepeSubscriptionId: null,
            mandateState: null,
            mandateMaxAmountPaise: null,
            mandateGateway: null,
            mandateGatewayAccount: null,
            nextActionAt: null,
            graceEndsAt: null,
            renewalAttempts: 0,
            claimedBy: null,
            claimExpiresAt: null,
            createdBy: null,
            metadata: { anchorAt: now },
            version: 1,
            createdAt: now,
            updatedAt: now,
          });
        });
        const payment = newPaymentRecord(ctx, {
          workspaceId: 'ws',
          userId: null,
          planId: 'pro',
          method: 'checkout',
          purpose: 'renewal',
          amountPaise: 299_900,
          subscriptionId: sub.id,
          periodStart: sub.currentPeriodEnd,
          periodEnd: sub.currentPeriodEnd + 31 * DAY,
        });
        await ctx.store.transaction({ system: true }, (tx) =>
          tx.payments.insert({ ...payment, state: 'pending', phonepeOrderId: 'OMO1' }),
        );
        // Forward only; failed/expired may still become completed when PhonePe's status API says so.
        const rank: Record<PaymentState, number> = { created: 0, pending: 1, failed: 2, expired: 2, completed: 3 };
        let lastState: PaymentState = 'pending';
        const batches: (typeof signals)[] = [];
        for (const s of signals)
          (s.concurrent && batches.length > 0
            ? batches[batches.length - 1]!
            : (batches.push([]), batches[batches.length - 1]!)
          ).push(s);
        for (const batch of batches) {
          await Promise.all(
            batch.map((s) => {
              const sig: PaymentSignal = phonePeSignal(
                {
                  state: s.state,
                  amount: s.tamperAmount ? 100 : 299_900,
                  merchantOrderId: payment.merchantOrderId,
                  orderId: 'OMO1',
                } as OrderStatus,
                s.authoritative,
              );
              return applyPaymentSignal(ctx, { system: true }, payment.merchantOrderId, sig, {
                source: s.source,
                actor: `test:${s.source}`,
              });
            }),
          );
          const stored = await ctx.store.transaction({ system: true }, (tx) => tx.payments.getById(payment.id));
          expect(rank[stored!.state]).toBeGreaterThanOrEqual(rank[lastState]);
          if (lastState === 'completed') expect(stored!.state).toBe('completed');
          lastState = stored!.state;
        }
        const after = await ctx.store.transaction({ system: true }, (tx) => tx.subscriptions.getById(sub.id));
        const extended = after!.currentPeriodEnd !== sub.currentPeriodEnd;
        expect(ctx.hookCount.renewed ?? 0).toBe(extended ? 1 : 0);
        expect(extended).toBe(lastState === 'completed');
        if (extended) expect(after!.currentPeriodEnd).toBe(payment.periodEnd);
        const audit = await ctx.store.transaction({ system: true }, (tx) =>
          tx.audit.listByWorkspace('ws', { limit: 100 }),
        );
        expect(audit.filter((a) => a.action === 'subscription.renewed')).toHaveLength(extended ? 1 : 0);
      }),
      { numRuns: 150 },
    );
  });
});
