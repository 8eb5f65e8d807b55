import type { FaultRecord, FaultSpec } from '../core/fault-registry.js';
import type { EmulatorOutcome, PayerPaymentMode } from '../core/records.js';
import type { WebhookDelivery } from '../core/webhook-dispatcher.js';

/** An order as the controls report it: PhonePe's order-status body (all attempts) plus where to pay it. */
export interface EmulatorOrderSnapshot {
  merchantId: string;
  merchantOrderId: string;
  orderId: string;
  state: string;
  amount: number;
  expireAt: number;
  paymentDetails: Record<string, unknown>[];
  /** `CHECKOUT`, `SUBSCRIPTION_SETUP` or `REDEMPTION`. */
  kind: string;
  /** The hosted page (checkout and setup orders); open it in a browser to pay, fail or cancel. */
  hostedPageUrl?: string;
  [field: string]: unknown;
}

/** Narrows a control call to one merchant when several share an id. */
/** Everything the emulator holds, as `emu.state()` and `GET /__emulator/state` show it (secrets left out). */
export interface EmulatorStateSnapshot {
  /** The emulator's clock, epoch ms. */
  now: number;
  outcome: EmulatorOutcome;
  merchants: Array<{
    merchantId: string;
    clientId: string;
    clientVersion: string;
    outcome: EmulatorOutcome;
    webhookUrl: string | null;
  }>;
  orders: EmulatorOrderSnapshot[];
  /** Subscription-status bodies, merchant ids included. */
  subscriptions: Array<Record<string, unknown> & { merchantSubscriptionId: string; state: string }>;
  /** Refund-status bodies. */
  refunds: Array<
    Record<string, unknown> & {
      merchantRefundId: string;
      originalMerchantOrderId: string;
      amount: number;
      state: string;
    }
  >;
  webhooks: WebhookDelivery[];
  faults: Array<Omit<FaultRecord, 'path'> & { path: string }>;
}

/** Which merchant a control call acts on; without it the id must be unique across merchants. */
export interface MerchantScope {
  merchantId?: string;
}

/** Webhook test controls (`emu.webhooks`). */
export interface EmulatorWebhookControls {
  /** Every delivery so far, oldest first (copies). */
  readonly deliveries: WebhookDelivery[];
  /** The next `count` webhooks are each sent twice (the copy right after the original). @default 1 */
  duplicateNext(count?: number): void;
  /** Queue new webhooks instead of sending them, until {@link release}. */
  hold(): void;
  /** Send the held webhooks one by one — `'reverse'` for out-of-order delivery. Resolves after their first attempts. */
  release(order?: 'original' | 'reverse'): Promise<WebhookDelivery[]>;
  /** Send a past delivery again (same body); resolves after its first attempt. */
  resend(deliveryId: string): Promise<WebhookDelivery>;
  /** Resolves when nothing is in flight or waiting for a retry (held ones excepted). */
  idle(): Promise<void>;
  /** Forget finished deliveries. */
  clear(): void;
}

/** Fault injection (`emu.faults`). */
export interface EmulatorFaultControls {
  add(fault: FaultSpec): FaultRecord;
  remove(id: string): boolean;
  clear(): void;
  list(): FaultRecord[];
}

/** Payer actions in the UPI app (`emu.customer`); each sends its webhook (docs/phonepe-protocol.md#cancel-pause-revoke). */
export interface EmulatorCustomerControls {
  /** ACTIVE → PAUSED until `until` (epoch ms on the virtual clock; default 30 days), `subscription.paused`. */
  pause(merchantSubscriptionId: string, options?: MerchantScope & { until?: number }): Promise<Record<string, unknown>>;
  /** PAUSED → ACTIVE, `subscription.unpaused`. */
  unpause(merchantSubscriptionId: string, options?: MerchantScope): Promise<Record<string, unknown>>;
  /** ACTIVE/PAUSED → REVOKED, `subscription.revoked`. */
  revoke(merchantSubscriptionId: string, options?: MerchantScope): Promise<Record<string, unknown>>;
}

/**
 * Drives an emulator from a test: the same controls back `startPhonePeEmulator`'s handle, the msw
 * handlers' `emulator`, and the HTTP routes under `/__emulator`. Calls that change state resolve
 * after the first attempt of the webhooks they cause (bounded by `webhook.waitForFirstAttemptMs`).
 *
 * @example
 * await emu.completeOrder('order-1', { paymentMode: 'CARD' });
 * await emu.advanceTime(24 * 60 * 60 * 1000);
 */
export interface PhonePeEmulatorControls {
  /** Origin of the emulator, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  /** Ready for `new PhonePeClient({ baseUrls })`: both under `/apis/pg-sandbox` (docs/phonepe-protocol.md#hosts). */
  readonly baseUrls: { pg: string; oauth: string };
  /** The stand-in for PhonePe's `checkout.js` (`<url>/web/bundle/checkout.js`): load it on the page that opens the PayPage. */
  readonly checkoutScriptUrl: string;
  /** Virtual time now (epoch ms). */
  now(): number;
  /** Moves the virtual clock forward, then applies what fell due (expiry, notifications, refunds…). Returns the new time. */
  advanceTime(ms: number): Promise<number>;
  /** Applies what fell due without moving the clock (after a shared clock was advanced elsewhere). */
  sweep(): Promise<void>;
  /** Changes the outcome for everyone, or for one merchant. */
  setOutcome(outcome: EmulatorOutcome, options?: MerchantScope): void;
  /** As if the payer paid (checkout/setup) or the bank debited (an executed redemption). */
  completeOrder(
    merchantOrderId: string,
    options?: MerchantScope & { paymentMode?: PayerPaymentMode },
  ): Promise<EmulatorOrderSnapshot>;
  /** Fails a PENDING order, a pending notification, or an unexecuted/executed redemption. */
  failOrder(
    merchantOrderId: string,
    options?: MerchantScope & { errorCode?: string; detailedErrorCode?: string },
  ): Promise<EmulatorOrderSnapshot>;
  /** One attempt fails, the order stays PENDING (`checkout.transaction.attempt.failed`). */
  failAttempt(
    merchantOrderId: string,
    options?: MerchantScope & { errorCode?: string; detailedErrorCode?: string; paymentMode?: PayerPaymentMode },
  ): Promise<EmulatorOrderSnapshot>;
  getOrder(merchantOrderId: string, options?: MerchantScope): EmulatorOrderSnapshot;
  /** The hosted page of a checkout or setup order (also how to approve an API-family mandate in a browser). */
  hostedPageUrl(merchantOrderId: string, options?: MerchantScope): string;
  getSubscription(merchantSubscriptionId: string, options?: MerchantScope): Record<string, unknown>;
  getRefund(merchantRefundId: string, options?: MerchantScope): Record<string, unknown>;
  /** PENDING/CONFIRMED → COMPLETED (through CONFIRMED, with both webhooks). */
  completeRefund(merchantRefundId: string, options?: MerchantScope): Promise<Record<string, unknown>>;
  /** PENDING/CONFIRMED → FAILED. */
  failRefund(
    merchantRefundId: string,
    options?: MerchantScope & { errorCode?: string; detailedErrorCode?: string },
  ): Promise<Record<string, unknown>>;
  readonly customer: EmulatorCustomerControls;
  readonly faults: EmulatorFaultControls;
  readonly webhooks: EmulatorWebhookControls;
  /** Everything the emulator holds (client secrets left out). */
  state(): EmulatorStateSnapshot;
  /** Forgets orders, subscriptions, refunds, tokens, webhooks and faults (the clock stays). */
  reset(): void;
}
