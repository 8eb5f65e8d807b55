import { describe, expect, it } from 'vitest';
import { isBillingError } from '../../src/billing/errors.js';
import {
  BACKENDS,
  DAY,
  hookNames,
  PLANS,
  RETURN_URL,
  useBillingHarness,
  type BillingHarness,
} from './support/billing-harness.js';

// The billing scenarios every gateway must pass, run through the same harness with the gateway as a
// parameter: over real HTTP against each gateway's emulator, on PGlite and on real PostgreSQL.
const GATEWAYS = ['phonepe', 'razorpay'] as const;
const CUSTOMER = { name: 'Asha Rao', email: 'asha@example.com', contact: '+919876543210' };

async function checkout(h: BillingHarness, workspaceId: string, planId: string, autopay = false) {
  const plan = PLANS.find((p) => p.id === planId)!;
  return h.billing.createCheckout({
    workspaceId,
    userId: `owner_${workspaceId}`,
    planId,
    amount: plan.price,
    returnUrl: RETURN_URL,
    autopay,
    ...(autopay ? { customer: CUSTOMER } : {}),
  });
}

async function paid(h: BillingHarness, workspaceId: string, planId = 'pro', autopay = false) {
  const session = await checkout(h, workspaceId, planId, autopay);
  await h.gateway.pay(session.orderId);
  await h.gateway.webhooks.idle();
  return session;
}

const count = (h: BillingHarness, name: string) => hookNames(h).filter((n) => n === name).length;

describe.each(BACKENDS.flatMap((backend) => GATEWAYS.map((gateway) => [gateway, backend] as const)))(
  'billing on %s (%s)',
  (gateway, backend) => {
    const h = useBillingHarness(backend, {
      gateway,
      // Enterprise (₹9,999) is the autopay plan; RBI allows recurring debits up to ₹15,000.
      config: { autopay: { maxAmountPaise: 1_500_000 } },
      ...(gateway === 'razorpay' ? { razorpay: { recurringDebits: 'manual' as const } } : {}),
    });

    it('checkout → payment → webhook → an active subscription on the gateway that took it', async () => {
      const session = await checkout(h, 'ws_new', 'pro');
      expect(session.gateway).toBe(gateway);
      expect(session.paymentUrl).toEqual(
        gateway === 'phonepe'
          ? expect.stringContaining(h.emu.url)
          : `https://api.example.com/v1/payments/checkout?order_id=${session.orderId}`,
      );
      await h.gateway.pay(session.orderId);
      await h.gateway.webhooks.idle();
      const payment = await h.billing.getPayment(session.orderId);
      expect(payment).toMatchObject({ state: 'completed', gateway, amountPaise: 299_900 });
      expect(h.webhookResults.some((r) => r.outcome === 'processed' && r.payment?.state === 'completed')).toBe(true);
      expect(await h.billing.getSubscription('ws_new')).toMatchObject({ status: 'active', planId: 'pro' });
      expect(count(h, 'paymentCompleted')).toBeGreaterThanOrEqual(1);
    });

    it('duplicate and reordered webhooks settle the payment once', async () => {
      const before = count(h, 'subscriptionActivated');
      const session = await checkout(h, 'ws_dup', 'starter');
      h.gateway.webhooks.hold();
      h.gateway.webhooks.duplicateNext(5);
      await h.gateway.pay(session.orderId);
      await h.gateway.webhooks.release('reverse');
      await h.gateway.webhooks.idle();
      expect(await h.billing.getPayment(session.orderId)).toMatchObject({ state: 'completed' });
      expect(count(h, 'subscriptionActivated')).toBe(before + 1);
      const outcomes = h.webhookResults.slice(-4).map((r) => r.outcome);
      expect(outcomes).toContain('duplicate');
      // A redelivery long after changes nothing either.
      const last = h.gateway.webhooks.deliveries.at(-1)!;
      await h.gateway.webhooks.resend(last.id);
      await h.gateway.webhooks.idle();
      expect(h.webhookResults.at(-1)?.outcome).toMatch(/duplicate|processed|ignored/);
      expect(count(h, 'subscriptionActivated')).toBe(before + 1);
    });

    it('a forged webhook is refused and changes nothing', async () => {
      const session = await checkout(h, 'ws_forged', 'pro');
      if (gateway === 'phonepe') {
        // PhonePe's webhooks are verified by the HTTP handler (test/http); the manager never sees a forged one.
        expect(session.gateway).toBe('phonepe');
        return;
      }
      const payment = (await h.billing.getPayment(session.orderId))!;
      const forged = JSON.stringify({
        entity: 'event',
        account_id: 'acc_forged',
        event: 'payment.captured',
        contains: ['payment'],
        payload: {
          payment: {
            entity: {
              id: 'pay_forged',
              entity: 'payment',
              amount: 299_900,
              currency: 'INR',
              status: 'captured',
              order_id: payment.phonepeOrderId,
              method: 'upi',
              captured: true,
            },
          },
        },
        created_at: 1_700_000_000,
      });
      const error = await h.gateway.deliverForged(forged).catch((e: unknown) => e);
      expect(isBillingError(error) && error.code).toBe('WEBHOOK_REJECTED');
      expect(await h.billing.getPayment(session.orderId)).toMatchObject({ state: 'pending' });
    });

    it('a refund is sent to the gateway that took the payment and completes', async () => {
      const session = await paid(h, 'ws_refund', 'pro');
      const refund = await h.billing.refund(session.orderId, { amount: 100_000, reason: 'goodwill' });
      expect(refund).toMatchObject({ gateway, amountPaise: 100_000 });
      await h.gateway.completeRefunds();
      await h.gateway.webhooks.idle();
      await h.emu.advanceTime(10 * 60 * 1000);
      await h.billing.reconcile({ olderThanMs: 0 });
      const stored = await h.store.transaction({ system: true }, (tx) =>
        tx.refunds.getByMerchantRefundId(refund.merchantRefundId),
      );
      expect(stored).toMatchObject({ state: 'completed', gateway, amountPaise: 100_000 });
      expect(stored!.phonepeRefundId).not.toBeNull();
      expect(count(h, 'refundCompleted')).toBe(1);
    });

    it('autopay: the mandate is set up, the renewal is debited on it and the period extends once', async () => {
      const session = await paid(h, 'ws_auto', 'enterprise', true);
      const payment = (await h.billing.getPayment(session.orderId))!;
      const first = (await h.billing.getSubscription('ws_auto'))!;
      expect(first).toMatchObject({ status: 'active', renewalMode: 'autopay' });
      const sub = await h.store.transaction({ system: true }, (tx) =>
        tx.subscriptions.getByMerchantSubscriptionId(payment.merchantSubscriptionId!),
      );
      expect(sub).toMatchObject({ mandateGateway: gateway });
      const active = gateway === 'phonepe' ? 'ACTIVE' : 'confirmed';
      expect(h.gateway.mandateState(sub!.merchantSubscriptionId!, sub!.phonepeSubscriptionId)).toBe(active);

      const due = first.currentPeriodEnd;
      h.clock.set(due - 2 * DAY);
      await h.billing.runRenewals();
      await h.emu.advanceTime(20 * 60 * 1000);
      await h.gateway.webhooks.idle();
      // The worker's next pass: Razorpay is asked for the payment now (it charges a day later by itself);
      // PhonePe's notice waits for its window.
      await h.billing.runRenewals();
      h.clock.set(due);
      await h.billing.runRenewals();
      const debit = (
        await h.store.transaction({ system: true }, (tx) => tx.payments.listBySubscription(sub!.id, { limit: 10 }))
      ).find((p) => p.method === 'autopay_redemption');
      expect(debit).toMatchObject({ state: 'pending', gateway, amountPaise: 999_900 });
      await h.gateway.pay(debit!.merchantOrderId);
      await h.gateway.webhooks.idle();
      await h.billing.runRenewals();
      const renewed = (await h.billing.getSubscription('ws_auto'))!;
      expect(renewed).toMatchObject({ status: 'active', currentPeriodStart: due });
      expect(count(h, 'subscriptionRenewed')).toBe(1);
    });

    it("an upgrade past the mandate's cap sets up a new mandate on the same gateway", async () => {
      const session = await paid(h, 'ws_up', 'enterprise', true);
      const old = (await h.billing.getPayment(session.orderId))!;
      const result = await h.billing.changePlan('ws_up', { planId: 'scale', returnUrl: RETURN_URL });
      expect(result.kind).toBe('payment_required');
      const upgrade = result.payment!;
      expect(upgrade).toMatchObject({ method: 'autopay_setup', gateway, state: 'pending' });
      await h.gateway.pay(upgrade.merchantOrderId);
      await h.gateway.webhooks.idle();
      const sub = await h.store.transaction({ system: true }, (tx) =>
        tx.subscriptions.getByMerchantSubscriptionId(upgrade.merchantSubscriptionId!),
      );
      expect(sub).toMatchObject({ planId: 'scale', mandateGateway: gateway, renewalMode: 'autopay' });
      const active = gateway === 'phonepe' ? 'ACTIVE' : 'confirmed';
      expect(h.gateway.mandateState(sub!.merchantSubscriptionId!, sub!.phonepeSubscriptionId)).toBe(active);
      // The replaced mandate is cancelled at its gateway (after the commit).
      await h.gateway.webhooks.idle();
      const replaced = await h.store.transaction({ system: true }, (tx) =>
        tx.payments.getByMerchantOrderId(old.merchantOrderId),
      );
      expect(replaced?.merchantSubscriptionId).not.toBe(sub!.merchantSubscriptionId);
    });

    it('cancelling now cancels the mandate at its gateway', async () => {
      const session = await paid(h, 'ws_cancel', 'enterprise', true);
      const payment = (await h.billing.getPayment(session.orderId))!;
      await h.billing.cancel('ws_cancel', { reason: 'closing', atPeriodEnd: false });
      const sub = await h.store.transaction({ system: true }, (tx) =>
        tx.subscriptions.getByMerchantSubscriptionId(payment.merchantSubscriptionId!),
      );
      const state = h.gateway.mandateState(sub!.merchantSubscriptionId!, sub!.phonepeSubscriptionId);
      expect(state).toMatch(
        gateway === 'phonepe' ? /^(CANCELLED|CANCEL_IN_PROGRESS)$/ : /^(cancelled|cancellation_initiated)$/,
      );
      expect(sub!.mandateState).toBe(state);
      expect(sub!.status).toBe('cancelled');
    });

    it('a mandate the payer revokes in their UPI app ends autopay (webhook → fresh read)', async () => {
      const session = await paid(h, 'ws_revoke', 'enterprise', true);
      const payment = (await h.billing.getPayment(session.orderId))!;
      const read = () =>
        h.store.transaction({ system: true }, (tx) =>
          tx.subscriptions.getByMerchantSubscriptionId(payment.merchantSubscriptionId!),
        );
      const before = (await read())!;
      await h.gateway.revokeMandate(before.merchantSubscriptionId!, before.phonepeSubscriptionId);
      await h.gateway.webhooks.idle();
      const after = (await read())!;
      expect(after.renewalMode).toBe('manual');
      expect(after.mandateState).toMatch(gateway === 'phonepe' ? /^REVOKED$/ : /^cancelled$/);
    });
  },
);
