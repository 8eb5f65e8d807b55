import type { PaymentMethod, PlanInterval, RefundRecordState } from '../storage/records.js';
import type { PaymentSignal, ReportedPaymentState } from './payment-state-machine.js';

/**
 * A payment gateway's view of one order — a checkout, a mandate set-up or a mandate debit — in the billing
 * core's terms, whatever the gateway's own vocabulary. Settlement, renewals and reconciliation read only
 * this; each gateway translates its answers into it (PhonePe's: `phonePeOrder` in phonepe-gateway.ts).
 */
export interface GatewayOrder {
  /** Our id for the order, when the answer carries it (compared with the stored row). */
  merchantOrderId: string | null;
  /** The gateway's own id for the order, when the answer carries it. */
  gatewayOrderId: string | null;
  /** Where the order stands, mapped to the payment state machine's terms. */
  reported: ReportedPaymentState;
  /** The gateway's own word for that state (kept for the audit trail). */
  gatewayState: string;
  /** The amount in paise, when the answer carries it (compared with the stored row). */
  amountPaise: number | null;
  /** Why it failed, from the order or else its latest payment attempt. */
  errorCode: string | null;
  detailedErrorCode: string | null;
  /** The latest payment attempt's transaction id and payment mode. */
  transactionId: string | null;
  paymentMode: string | null;
  /** How many payment attempts the gateway reports for the order. */
  attempts: number;
  /** When the gateway expires the unpaid order (epoch ms). */
  expiresAt: number | null;
  /** The mandate a set-up order created, as far as the answer names it. */
  mandate: { gatewayMandateId: string | null; maxAmountPaise: number | null };
  /** A mandate debit's pre-debit notice and the window in which it may be executed (epoch ms). */
  debitWindow: { notifiedAt: number | null; from: number | null; until: number | null };
}

/**
 * How a failed gateway call reads, whatever the gateway's error classes (PhonePe's: `phonePeFailure` in
 * phonepe-gateway.ts):
 * - `refused`: the gateway's explicit refusal — nothing was done; the only failure that may mark a row failed;
 * - `outcome_unknown`: it may have been done (a lost, cut or unreadable answer): look it up, never re-send
 *   blindly; `existing` is the order when the client's lookup found it;
 * - `unavailable`: the gateway (or the way to it) is down, slow or throttling — nothing was done, try again;
 * - `unexpected`: any other answer we cannot act on (e.g. an id "already used" that the lookup did not
 *   explain) — left for reconciliation and reported.
 */
export interface GatewayFailure {
  kind: 'refused' | 'outcome_unknown' | 'unavailable' | 'unexpected';
  /** The gateway's error code. */
  code: string;
  /** The gateway's own message, when it gave one. */
  gatewayMessage: string | null;
  existing: GatewayOrder | null;
}

/**
 * Where a mandate stands, whatever the gateway calls it: not yet in force (`pending`), debitable (`active`),
 * paused by the payer (`paused`), being cancelled (`cancelling`), over for good (`ended`: revoked, cancelled,
 * expired), or never set up (`failed`). The store keeps the gateway's own word (`mandateState`); the billing
 * core decides on the phase.
 */
export type MandatePhase = 'pending' | 'active' | 'paused' | 'cancelling' | 'ended' | 'failed';

/** A gateway's view of one mandate: its own word for the state (stored) and the phase it amounts to. */
export interface GatewayMandate {
  gatewayState: string;
  phase: MandatePhase;
}

/** What a gateway answered to a checkout it created: its order and where the payer goes to pay. */
export interface GatewayCheckout {
  /** The gateway's order id and the state it reported, if any (see `signalFromCreated`). */
  gatewayOrderId: string;
  reported: ReportedPaymentState | null;
  /** The hosted page the payer is sent to; `null` when the answer carried none. */
  paymentUrl: string | null;
  /** When the gateway expires the unpaid order (epoch ms). */
  expiresAt: number | null;
  /**
   * Public values the gateway's client-side checkout needs later (Razorpay: the customer id of a mandate
   * set-up), stored with the payment and handed back to {@link PaymentGateway.clientCheckout}.
   */
  clientState?: Record<string, string> | null;
}

/** The signal a created checkout amounts to. */
export function signalFromCheckout(created: GatewayCheckout): PaymentSignal {
  return {
    type: 'order_created',
    phonepeOrderId: created.gatewayOrderId,
    ...(created.reported ? { reported: created.reported } : {}),
  };
}

/**
 * A payment gateway's view of one refund, in the billing core's terms (PhonePe's: `phonePeRefund` in
 * phonepe-gateway.ts). Refunds apply it moving only forward (see `applyRefundState`).
 */
export interface GatewayRefund {
  /** The state it amounts to; `null` for a word of the gateway's we do not know (it changes nothing). */
  reported: RefundRecordState | null;
  /** The gateway's own word for it (kept for the audit trail). */
  gatewayState: string;
  /** The gateway's own id for the refund, when the answer carries it. */
  gatewayRefundId: string | null;
  /** Why it failed, when it did. */
  errorCode: string | null;
}

/**
 * The state-machine signal a gateway's order amounts to: `authoritative` when it was read from the gateway's
 * order-status API, not when it is a webhook payload. What the answer lacks (an amount, an order id) is not
 * compared.
 */
export function signalFromOrder(order: GatewayOrder, authoritative: boolean): PaymentSignal {
  return {
    type: 'order_status',
    authoritative,
    reported: order.reported,
    gatewayState: order.gatewayState,
    ...(order.amountPaise !== null ? { amount: order.amountPaise } : {}),
    ...(order.merchantOrderId ? { merchantOrderId: order.merchantOrderId } : {}),
    ...(order.gatewayOrderId ? { phonepeOrderId: order.gatewayOrderId } : {}),
    errorCode: order.errorCode,
    detailedErrorCode: order.detailedErrorCode,
  };
}

/** What every verified webhook event carries, whatever its kind. */
interface GatewayEventBase {
  /** The gateway that sent it (`phonepe`). */
  gateway: string;
  /** The gateway's event name, e.g. `checkout.order.completed`. */
  event: string;
  /** The key repeats of the same fact share (the store records each key once). */
  dedupeKey: string;
  /** Our id of the object it is about (order, refund or mandate), when it names one. */
  subjectId: string | null;
  /** The gateway's own payload, kept for the audit trail. */
  raw: unknown;
}

/**
 * A verified webhook event in the billing core's terms. The payload is only a hint: an `order` event carries
 * the order as the payload describes it (`claimed` is the state it reports, `null` when it reports none; its ids
 * and amount are compared with our row either way), a `refund` event the refund it describes (`null` without a
 * state), a `mandate` event only which mandate to read again (mandate states are never taken from a payload).
 */
export type GatewayEvent =
  | (GatewayEventBase & {
      kind: 'order';
      merchantOrderId: string | null;
      order: GatewayOrder;
      claimed: ReportedPaymentState | null;
    })
  | (GatewayEventBase & { kind: 'refund'; merchantRefundId: string | null; claim: GatewayRefund | null })
  | (GatewayEventBase & { kind: 'mandate'; merchantMandateId: string | null; gatewayMandateId?: string | null })
  | (GatewayEventBase & { kind: 'unknown' });

/** What a gateway can do; the manager refuses what its gateway lacks instead of failing halfway. */
export interface GatewayCapabilities {
  /** Recurring mandates set up through checkout, and debits on them. */
  mandates: boolean;
  /**
   * Who tells the payer about a coming mandate debit: `merchant` — we send the gateway's pre-debit notice and
   * execute the debit after its window opens (PhonePe); `gateway` — the debit is asked for at once and the
   * gateway notifies the payer and executes it by itself about a day later (Razorpay's UPI Autopay).
   */
  preDebitNotice: 'merchant' | 'gateway';
  /**
   * Whether a mandate set-up needs the payer's email and phone (`createCheckout({ customer })`): Razorpay keeps
   * a customer record per mandate and sends both with every debit; PhonePe needs neither.
   */
  mandateNeedsCustomer: boolean;
}

/** A stored payment as a gateway call names it: our order id, the gateway's (once it answered), how it is paid. */
export interface PaymentRef {
  merchantOrderId: string;
  /** The gateway's own order id, `null` until the gateway answered. */
  gatewayOrderId: string | null;
  method: PaymentMethod;
  /** When the payment stops being payable (epoch ms), as stored; gateways whose orders never expire read it. */
  expiresAt: number | null;
}

/** A stored mandate as a gateway call names it: our id, and the gateway's own reference once set up (opaque to the core). */
export interface MandateRef {
  merchantMandateId: string;
  gatewayMandateId: string | null;
}

/** A stored refund as a gateway call names it, with the payment it refunds. */
export interface RefundRef {
  merchantRefundId: string;
  gatewayRefundId: string | null;
  payment: Pick<PaymentRef, 'merchantOrderId' | 'gatewayOrderId'>;
}

/** The payer, for gateways that keep a customer record for mandates (Razorpay's UPI Autopay needs email and contact). */
export interface GatewayCustomer {
  name: string | null;
  email: string | null;
  /** A phone number. */
  contact: string | null;
}

/**
 * What a page of ours hands a gateway's client-side checkout script, for gateways without a hosted payment
 * page (Razorpay's Standard Checkout): the script to load and the options to open it with. Everything in it
 * is public (a key id, order ids, the amount); the answer it yields is checked server-side.
 */
export interface ClientCheckout {
  gateway: string;
  /** The gateway's checkout script (Razorpay: `https://checkout.razorpay.com/v1/checkout.js`). */
  scriptUrl: string;
  /** The constructor the script defines on `window` (`Razorpay`): the page runs `new window[global](options).open()`. */
  global: string;
  /** The options it is opened with (JSON): key id, order id, amount, where it posts the result, prefill. */
  options: Record<string, unknown>;
}

/** A checkout for the gateway to create: one-time, or one that also sets up a mandate. */
export interface GatewayCheckoutRequest {
  merchantOrderId: string;
  amountPaise: number;
  /** Where the gateway sends the payer's browser afterwards. */
  redirectUrl: string;
  expireAfterSeconds: number;
  /** Our ids, carried along where the gateway keeps metadata. */
  references: { paymentId: string; workspaceId: string; planId: string };
  /** A mandate to set up with the payment: our id for it, its per-debit cap and how often it debits. */
  mandate: { merchantMandateId: string; maxAmountPaise: number; interval: PlanInterval } | null;
  /** The payer as the host gave it (`createCheckout({ customer })`), or `null`. */
  customer: GatewayCustomer | null;
}

/**
 * A payment gateway as the billing core uses it: everything gateway-specific — request shapes, order, refund
 * and mandate states, error classes, path families — lives behind it, and the core works on the neutral
 * facts above. PhonePe's is `createPhonePeGateway` (phonepe-gateway.ts).
 */
export interface PaymentGateway {
  /** The name rows record (`phonepe`, `razorpay`): a lower-case letter, then up to 31 of a–z, 0–9 and `_`. */
  readonly name: string;
  /** How messages name it (`PhonePe`). */
  readonly displayName: string;
  /** The account at the gateway (PhonePe: the API client id). */
  readonly account: string | null;
  readonly capabilities: GatewayCapabilities;
  /** Creates the order for a checkout; failures are the gateway's errors (see {@link classifyFailure}). */
  createCheckout(request: GatewayCheckoutRequest): Promise<GatewayCheckout>;
  /** The order of a payment as the gateway has it now; `null` when it has no such order. */
  getOrder(payment: PaymentRef): Promise<GatewayOrder | null>;
  /** Sends a refund of (part of) a payment under our refund id. */
  refund(request: {
    merchantRefundId: string;
    amountPaise: number;
    payment: Pick<PaymentRef, 'merchantOrderId' | 'gatewayOrderId'>;
  }): Promise<GatewayRefund>;
  /** A refund as the gateway has it now; `null` when it has no such refund. */
  getRefund(refund: RefundRef): Promise<GatewayRefund | null>;
  /** A mandate as the gateway has it now. */
  getMandate(mandate: MandateRef): Promise<GatewayMandate>;
  cancelMandate(mandate: MandateRef): Promise<void>;
  /**
   * Starts a mandate debit under our order id (the gateway's order for it). `preDebitNotice: 'merchant'`
   * (PhonePe): sends the pre-debit notice; {@link executeDebit} runs once its window opens. `'gateway'`
   * (Razorpay): only creates the debit's order; {@link executeDebit} follows at once.
   */
  notifyDebit(request: {
    merchantOrderId: string;
    amountPaise: number;
    mandate: MandateRef;
    references: { paymentId: string; workspaceId: string; planId: string };
  }): Promise<GatewayCheckout>;
  /**
   * Executes a started debit: PhonePe's redeem after the notice window opened; Razorpay's recurring payment
   * on the debit's order (which Razorpay announces and executes by itself). Must be safe to call again for
   * the same order after a lost answer (the gateway looks for the attempt first). Answers the attempt's
   * transaction id when the gateway gives it.
   */
  executeDebit(
    payment: PaymentRef & { amountPaise: number; mandate: MandateRef },
  ): Promise<{ transactionId: string | null }>;
  /**
   * Verifies a webhook delivery signed with a secret of the gateway's (raw body + headers) and translates it.
   * Rejects with a `BillingError`: `WEBHOOK_REJECTED` (401) when the signature is missing or wrong,
   * `INVALID_INPUT` (400) when the body is not one of the gateway's events — with the gateway's own error as
   * `cause`. Absent for PhonePe, whose webhook credentials are the HTTP handler's
   * (`createBillingHandler({ webhook })`, route `/payments/webhook`).
   */
  verifyWebhook?(request: { body: Uint8Array; headers: Headers }): Promise<GatewayEvent>;
  /**
   * For gateways without a hosted payment page: what our checkout page hands the gateway's script for a
   * pending payment (`callbackUrl`: where the script posts the payer's result).
   */
  clientCheckout?(
    payment: PaymentRef & {
      amountPaise: number;
      customer: GatewayCustomer | null;
      clientState: Record<string, string> | null;
    },
    callbackUrl: string,
  ): Promise<ClientCheckout>;
  /**
   * Whether the fields a client-side checkout posted back (e.g. Razorpay's `razorpay_order_id`,
   * `razorpay_payment_id`, `razorpay_signature`) are genuinely the gateway's, for this payment.
   */
  verifyCheckoutReturn?(fields: Readonly<Record<string, string>>, payment: PaymentRef): Promise<boolean>;
  /** The phase one of this gateway's mandate words amounts to. */
  mandatePhase(gatewayState: string): MandatePhase;
  /** This gateway's word for a mandate in force, stored when a set-up order completes. */
  readonly activeMandateState: string;
  /**
   * The webhook event names this gateway documents (PhonePe's catalogue, Razorpay's events the library acts
   * on): metrics label a delivery by its event name only when it is listed here, else as `other`, so that
   * the label stays bounded whatever a sender puts in the field. Without it every event reads `other`.
   */
  readonly webhookEvents?: readonly string[];
  /** How one of this gateway's errors reads; `null` for an error it did not throw. */
  classifyFailure(error: unknown): GatewayFailure | null;
}
