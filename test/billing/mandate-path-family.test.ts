import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/common/logger.js';
import { BACKENDS, DAY, useBillingHarness, type BillingHarness } from './support/billing-harness.js';
import { subscribe } from './support/subscribe.js';

// Issue 10, point 3: which path family manages mandates set up through checkout is not settled by public
// sources (docs/phonepe-protocol.md#unsettled-path-family). `autopay.pathFamily` picks one; subscription
// status, cancel and redemption status fall back to the other once on 401/404 and log it; notify and
// redeem never do. The emulator serves checkout mandates on one family only (`mandateFamilies`).
function recordingLogger(): Logger & {
  warnings: Array<{ obj: Record<string, unknown>; msg?: string }>;
  errors: Array<{ obj: Record<string, unknown>; msg?: string }>;
} {
  const warnings: Array<{ obj: Record<string, unknown>; msg?: string }> = [];
  const errors: Array<{ obj: Record<string, unknown>; msg?: string }> = [];
  const nothing = () => {};
  return {
    warnings,
    errors,
    debug: nothing,
    info: nothing,
    error: (obj, msg) => void errors.push({ obj, msg }),
    warn: (obj, msg) => void warnings.push({ obj, msg }),
  };
}

async function mandateOf(h: BillingHarness, workspaceId: string): Promise<string> {
  const session = await subscribe(h, workspaceId, 'starter', { autopay: true });
  return (await h.billing.getPayment(session.orderId))!.merchantSubscriptionId!;
}

async function renewal(h: BillingHarness, workspaceId: string) {
  return (
    await h.store.transaction({ workspaceId }, (tx) => tx.payments.listByWorkspace(workspaceId, { limit: 20 }))
  ).filter((p) => p.purpose === 'renewal');
}

describe.each(BACKENDS)('autopay.pathFamily (%s)', (backend) => {
  describe.each([
    ['checkout (default), PhonePe serves the API family', {}, ['subscriptions'] as const, 'api'],
    [
      'api, PhonePe serves the checkout family',
      { autopay: { pathFamily: 'api' as const } },
      ['checkout'] as const,
      'checkout',
    ],
  ])('configured %s', (_name, config, families, other) => {
    const logger = recordingLogger();
    const h = useBillingHarness(backend, {
      config,
      logger,
      emulator: { mandateFamilies: [...families], wrongFamilyStatus: 404 },
    });

    it('reads the mandate status on the other family once, and logs which one answered', async () => {
      const mandate = await mandateOf(h, `ws_status_${other}`);
      await h.emu.customer.pause(mandate, { until: h.clock.now() + 60 * DAY });
      await h.emu.webhooks.idle();
      expect((await h.billing.getSubscription(`ws_status_${other}`))!.autopay).toMatchObject({
        mandateState: 'PAUSED',
      });
      const warning = logger.warnings.find(
        (w) => w.obj.operation === 'subscriptions.getStatus' && w.obj.id === mandate,
      );
      expect(warning?.obj).toMatchObject({ answered: other });
      expect(warning?.msg).toContain(`autopay.pathFamily to '${other}'`);
    });

    it('cancels on the other family when the configured one does not know the mandate', async () => {
      const ws = `ws_cancel_${other}`;
      const mandate = await mandateOf(h, ws);
      await h.billing.cancel(ws, { atPeriodEnd: false, reason: 'leaving' });
      await h.emu.advanceTime(10_000);
      await h.emu.webhooks.idle();
      expect(h.emu.getSubscription(mandate)).toMatchObject({ state: 'CANCELLED' });
      expect(logger.warnings.some((w) => w.obj.operation === 'subscriptions.cancel' && w.obj.id === mandate)).toBe(
        true,
      );
    });

    it('never sends a notice on the other family: the debit fails and the log names the setting', async () => {
      const ws = `ws_notify_${other}`;
      const mandate = await mandateOf(h, ws);
      const due = (await h.billing.getSubscription(ws))!.currentPeriodEnd;
      h.clock.set(due - 2 * DAY);
      await h.billing.runRenewals();
      const debits = await renewal(h, ws);
      expect(debits.map((d) => d.state)).toEqual(['failed']);
      // Refused on the configured family, and never tried on the other: PhonePe holds no notice at all.
      expect(() => h.emu.getOrder(debits[0]!.merchantOrderId)).toThrow();
      const error = logger.errors.find(
        (e) => e.obj.operation === 'subscriptions.notifyRedemption' && e.obj.id === mandate,
      );
      expect(error?.msg).toContain(`set autopay.pathFamily to '${other}'`);
      expect(h.emu.getSubscription(mandate)).toMatchObject({ state: 'ACTIVE' });
    });
  });

  describe('configured to the family PhonePe serves', () => {
    const h = useBillingHarness(backend, {
      config: { autopay: { pathFamily: 'api' } },
      emulator: { mandateFamilies: ['subscriptions'] },
    });

    it('renews end to end on the API family: notice, 24 h, debit, period extended once', async () => {
      const ws = 'ws_api_family';
      await mandateOf(h, ws);
      const due = (await h.billing.getSubscription(ws))!.currentPeriodEnd;
      h.clock.set(due - 2 * DAY);
      await h.billing.runRenewals();
      await h.emu.advanceTime(20 * 60 * 1000);
      await h.emu.webhooks.idle();
      await h.billing.runRenewals();
      h.clock.set(due);
      await h.billing.runRenewals();
      const [debit] = await renewal(h, ws);
      expect(debit).toMatchObject({ state: 'pending' });
      expect(debit!.phonepeTransactionId).not.toBeNull();
      await h.emu.completeOrder(debit!.merchantOrderId);
      await h.emu.webhooks.idle();
      expect(await h.billing.getSubscription(ws)).toMatchObject({
        status: 'active',
        currentPeriodStart: due,
      });
    });
  });
});
