import { expect } from 'vitest';
import type { CheckoutSession } from '../../../src/billing/checkout.js';
import { PLANS, RETURN_URL, type BillingHarness } from './billing-harness.js';

/** Buys `planId` for `workspaceId` through the emulator (paid, webhook delivered) and returns the checkout. */
export async function subscribe(
  h: BillingHarness,
  workspaceId: string,
  planId = 'pro',
  options: { autopay?: boolean } = {},
): Promise<CheckoutSession> {
  const plan = PLANS.find((p) => p.id === planId)!;
  const session = await h.billing.createCheckout({
    workspaceId,
    userId: `owner_${workspaceId}`,
    planId,
    amount: plan.price,
    returnUrl: RETURN_URL,
    autopay: options.autopay ?? false,
  });
  await h.emu.completeOrder(session.orderId);
  await h.emu.webhooks.idle();
  const payment = await h.billing.getPayment(session.orderId);
  expect(payment?.state).toBe('completed');
  return session;
}
