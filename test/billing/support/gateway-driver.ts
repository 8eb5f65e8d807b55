import type { SubscriptionManager } from '../../../src/billing/subscription-manager.js';
import type { EmulatorWebhookControls } from '../../../src/testing/controls/emulator-controls.js';
import type { PhonePeEmulator } from '../../../src/testing/index.js';
import type { RazorpayEmulator } from '../../../src/testing/razorpay/index.js';

/**
 * What a gateway-neutral billing scenario does to the gateway side: act as the payer, the bank and the
 * gateway's own state, and steer its webhooks. One per gateway emulator, so the same scenario runs on each.
 */
export interface GatewayDriver {
  readonly name: 'phonepe' | 'razorpay';
  readonly webhooks: EmulatorWebhookControls;
  /** The payer pays the checkout (or mandate set-up) of our order id. */
  pay(orderId: string): Promise<void>;
  /** A pending refund of the payment is processed by the bank. */
  completeRefunds(): Promise<void>;
  /** The gateway's own word for the state of a subscription's mandate (by our mandate id). */
  mandateState(merchantMandateId: string, gatewayMandateId: string | null): string;
  /** The payer revokes the mandate in their UPI app (the gateway sends its webhook). */
  revokeMandate(merchantMandateId: string, gatewayMandateId: string | null): Promise<void>;
  /** Hands the manager one webhook delivery signed with a wrong secret; resolves or rejects as the manager does. */
  deliverForged(body: string): Promise<unknown>;
  /** The body of the latest delivery of `event` (as the gateway signed it). */
  lastDelivery(event: string): string;
}

const lastBody = (webhooks: EmulatorWebhookControls, event: string): string => {
  const found = webhooks.deliveries.filter((d) => d.event === event).at(-1);
  if (!found) throw new Error(`no ${event} webhook was delivered`);
  return found.body;
};

/** The driver of a PhonePe emulator. */
export function phonePeDriver(emu: PhonePeEmulator): GatewayDriver {
  return {
    name: 'phonepe',
    webhooks: emu.webhooks,
    async pay(orderId) {
      await emu.completeOrder(orderId);
    },
    async completeRefunds() {
      // The emulator settles PhonePe refunds on its own (refundCompleteAfterMs); nothing to do here.
    },
    mandateState(merchantMandateId) {
      return String(emu.getSubscription(merchantMandateId).state);
    },
    async revokeMandate(merchantMandateId) {
      await emu.customer.revoke(merchantMandateId);
    },
    async deliverForged() {
      throw new Error('PhonePe webhooks are verified by the HTTP handler (its Authorization header), not the manager');
    },
    lastDelivery: (event) => lastBody(emu.webhooks, event),
  };
}

/** The driver of a Razorpay emulator; our order and mandate ids are mapped to Razorpay's through the manager. */
export function razorpayDriver(rzp: RazorpayEmulator, billing: () => SubscriptionManager): GatewayDriver {
  const tokenOf = (gatewayMandateId: string | null) => {
    const tokenId = gatewayMandateId?.split('/')[1];
    if (!tokenId) throw new Error(`no Razorpay token behind mandate reference ${gatewayMandateId}`);
    return tokenId;
  };
  return {
    name: 'razorpay',
    webhooks: rzp.webhooks,
    async pay(orderId) {
      const payment = await billing().getPayment(orderId);
      if (!payment?.phonepeOrderId) throw new Error(`order ${orderId} has no Razorpay order`);
      await rzp.payOrder(payment.phonepeOrderId);
    },
    async completeRefunds() {
      for (const refund of rzp.state().refunds)
        if (refund.status === 'pending') await rzp.processRefund(String(refund.id));
    },
    mandateState(_merchantMandateId, gatewayMandateId) {
      const token = rzp.getToken(tokenOf(gatewayMandateId)) as { recurring_details?: { status?: string } };
      return String(token.recurring_details?.status);
    },
    async revokeMandate(_merchantMandateId, gatewayMandateId) {
      await rzp.cancelToken(tokenOf(gatewayMandateId));
    },
    async deliverForged(body) {
      const headers = new Headers({ 'content-type': 'application/json', 'x-razorpay-signature': 'f'.repeat(64) });
      return billing().handleGatewayWebhook('razorpay', { body: new TextEncoder().encode(body), headers });
    },
    lastDelivery: (event) => lastBody(rzp.webhooks, event),
  };
}
