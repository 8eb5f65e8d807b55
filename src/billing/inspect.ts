import type { AuditRecord, PaymentRecord, RefundRecord, SubscriptionRecord } from '../storage/records.js';
import {
  type BillingContext,
  gatewayFor,
  inTransaction,
  mandateGatewayFor,
  mandateGatewayName,
  mandateRef,
  paymentRef,
  SYSTEM_SCOPE,
  workspaceScope,
} from './billing-context.js';
import { BillingError } from './errors.js';
import type { GatewayMandate, GatewayOrder } from './payment-gateway.js';
import { usagePeriodStart } from './usage.js';

// What an operator looks at when a payment or a workspace seems wrong: our rows, the gateway's live view of
// the same order or mandate, and the audit trail — read only (nothing is settled or written, so it is safe to
// run against production while the problem is still there).

/** The gateway's live view of an object, or why it could not be read (the gateway down, the gateway not held). */
export type LiveView<T> =
  | { ok: true; gateway: string; value: T | null }
  | { ok: false; gateway: string; error: string };

/** One order as stored and as its gateway has it now. */
export interface OrderInspection {
  payment: PaymentRecord;
  refunds: RefundRecord[];
  subscription: SubscriptionRecord | null;
  /** The order at its gateway now (`value: null` when the gateway has no such order). */
  live: LiveView<GatewayOrder>;
  /** The audit rows about this payment and its refunds, oldest first. */
  audit: AuditRecord[];
}

/** One workspace: its subscriptions, recent payments, this period's usage, the mandate live, the audit trail. */
export interface WorkspaceInspection {
  workspaceId: string;
  subscription: SubscriptionRecord | null;
  payments: PaymentRecord[];
  refunds: RefundRecord[];
  usage: Record<string, number>;
  /** The subscription's mandate at its gateway now, when it has one. */
  mandate: LiveView<GatewayMandate> | null;
  audit: AuditRecord[];
}

const AUDIT_LIMIT = 200;

async function live<T>(gateway: string, read: () => Promise<T | null>): Promise<LiveView<T>> {
  try {
    return { ok: true, gateway, value: await read() };
  } catch (error) {
    return { ok: false, gateway, error: error instanceof Error ? error.message : String(error) };
  }
}

/** An order as stored, with its refunds, subscription, the gateway's live view and the audit trail; read only. */
export async function inspectOrder(ctx: BillingContext, merchantOrderId: string): Promise<OrderInspection> {
  const stored = await inTransaction(ctx, SYSTEM_SCOPE, async (tx) => {
    const payment = await tx.payments.getByMerchantOrderId(merchantOrderId);
    if (!payment) return null;
    const refunds = await tx.refunds.listByPayment(payment.id);
    const subscription = payment.subscriptionId ? await tx.subscriptions.getById(payment.subscriptionId) : null;
    const ids = new Set([payment.id, ...refunds.map((r) => r.id)]);
    const audit = (await tx.audit.listByWorkspace(payment.workspaceId, { limit: AUDIT_LIMIT }))
      .filter((row) => ids.has(row.entityId))
      .reverse();
    return { payment, refunds, subscription, audit };
  });
  if (!stored)
    throw new BillingError('PAYMENT_NOT_FOUND', `No payment with order id ${merchantOrderId} was found.`, {
      details: { orderId: merchantOrderId },
    });
  const view = await live(stored.payment.gateway, () =>
    gatewayFor(ctx, stored.payment.gateway).getOrder(paymentRef(stored.payment)),
  );
  return { ...stored, live: view };
}

/** A workspace's billing as stored, its mandate at the gateway and its audit trail; read only. */
export async function inspectWorkspace(
  ctx: BillingContext,
  workspaceId: string,
  options: { payments?: number } = {},
): Promise<WorkspaceInspection> {
  const stored = await inTransaction(ctx, workspaceScope(workspaceId), async (tx) => {
    const subscription =
      (await tx.subscriptions.getLive(workspaceId)) ?? (await tx.subscriptions.getLatest(workspaceId));
    const payments = await tx.payments.listByWorkspace(workspaceId, { limit: options.payments ?? 20 });
    const refunds = (await Promise.all(payments.map((p) => tx.refunds.listByPayment(p.id)))).flat();
    const usage = subscription ? await tx.usage.get(workspaceId, usagePeriodStart(subscription)) : {};
    const audit = (await tx.audit.listByWorkspace(workspaceId, { limit: AUDIT_LIMIT })).reverse();
    return { subscription, payments, refunds, usage, audit };
  });
  const sub = stored.subscription;
  const ref = sub ? mandateRef(sub) : null;
  const mandate =
    sub && ref
      ? await live(mandateGatewayName(sub) as string, () => mandateGatewayFor(ctx, sub).getMandate(ref))
      : null;
  return { workspaceId, ...stored, mandate };
}
