import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import { auditAndMetricsConformance } from './audit-and-metrics-conformance.js';
import { outboxConformance } from './outbox-conformance.js';
import { paymentsConformance } from './payments-conformance.js';
import { plansConformance } from './plans-conformance.js';
import { racesConformance } from './races-conformance.js';
import { refundsConformance } from './refunds-conformance.js';
import { reportsConformance } from './reports-conformance.js';
import { renewalsConformance } from './renewals-conformance.js';
import type { StoreHarness } from './store-harness.js';
import { subscriptionsConformance } from './subscriptions-conformance.js';
import { transactionConformance } from './transaction-conformance.js';
import { unstorableInputConformance } from './unstorable-input-conformance.js';
import { usageConformance } from './usage-conformance.js';
import { usageMeterConformance } from './usage-meter-conformance.js';
import { webhookEventsConformance } from './webhook-events-conformance.js';

/**
 * The storage conformance suite: every guarantee of the `BillingStore` port, run against one
 * backend. Each test starts from empty tables.
 */
export function runConformanceSuite(name: string, open: () => Promise<StoreHarness>): void {
  describe(`BillingStore conformance: ${name}`, () => {
    let harness: StoreHarness | undefined;
    const h = (): StoreHarness => {
      if (!harness) throw new Error(`${name} harness did not open`);
      return harness;
    };
    beforeAll(async () => {
      harness = await open();
    });
    beforeEach(async () => {
      await h().reset();
    });
    afterAll(async () => {
      await harness?.close();
    });

    describe('transaction', () => transactionConformance(h));
    describe('plans', () => plansConformance(h));
    describe('payments', () => paymentsConformance(h));
    describe('refunds', () => refundsConformance(h));
    describe('subscriptions', () => subscriptionsConformance(h));
    describe('usage', () => usageConformance(h));
    describe('metered usage', () => usageMeterConformance(h));
    describe('webhook events', () => webhookEventsConformance(h));
    describe('renewal claims', () => renewalsConformance(h));
    describe('audit and metrics', () => auditAndMetricsConformance(h));
    describe('outbox', () => outboxConformance(h));
    describe('reports', () => reportsConformance(h));
    describe('races', () => racesConformance(h));
    describe('unstorable input', () => unstorableInputConformance(h));
  });
}
