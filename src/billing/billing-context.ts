import type { Clock } from '../common/clock.js';
import type { IdGenerator } from '../common/id-generator.js';
import type { Logger } from '../common/logger.js';
import type { BillingStore, BillingTransaction, StoreScope } from '../storage/billing-store.js';
import type {
  AuditRecord,
  OutboxEventRecord,
  PaymentRecord,
  PlanRecord,
  SubscriptionRecord,
} from '../storage/records.js';
import type { BillingConfig } from './billing-config.js';
import { type BillingHooks, type HookName, type HookPayload, PendingHooks } from './billing-hooks.js';
import { deliverWritten, eventWorkspaceId, writeEvents } from './event-outbox.js';
import type { BillingInstruments } from './billing-instruments.js';
import { BillingError } from './errors.js';
import type { MandatePhase, MandateRef, PaymentGateway, PaymentRef } from './payment-gateway.js';
import type { InFlight } from './settlement.js';
import type { ReturnUrlAllowlist } from './return-url-allowlist.js';

/** Everything the billing operations share; built once by `SubscriptionManager`. */
export interface BillingContext {
  /** The gateway new checkouts go to unless they name another (`defaultGateway`). */
  readonly gateway: PaymentGateway;
  /** Every gateway the manager holds, by name; a stored row goes to the one it names (see {@link gatewayFor}). */
  readonly gateways: ReadonlyMap<string, PaymentGateway>;
  readonly store: BillingStore;
  readonly config: BillingConfig;
  readonly hooks: BillingHooks;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly ids: IdGenerator;
  readonly allowlist: ReturnUrlAllowlist;
  /** Plans declared in code, by id (the store may hold more, e.g. retired plans). */
  readonly plans: ReadonlyMap<string, PlanRecord>;
  /** Webhook events being processed in this process, by dedupe key: copies delivered meanwhile wait for it. */
  readonly webhooksInFlight: InFlight;
  /** The manager's metrics and spans; `null` with `metrics: false`. */
  readonly instruments: BillingInstruments | null;
}

/** The workspace scope, or the cross-tenant system scope. */
export const SYSTEM_SCOPE: StoreScope = { system: true };
export const workspaceScope = (workspaceId: string): StoreScope => ({ workspaceId });

/**
 * Runs `fn` in one store transaction. The hook events it queued are written to the outbox in that
 * transaction (a rollback writes none); after the commit its follow-ups run, then the events are
 * delivered to the hooks (docs/billing.md#hooks).
 *
 * @example
 * await inTransaction(ctx, workspaceScope('ws_1'), async (tx, hooks) => { …; hooks.add('paymentFailed', { payment }); });
 */
export async function inTransaction<T>(
  ctx: BillingContext,
  scope: StoreScope,
  fn: (tx: BillingTransaction, hooks: PendingHooks) => Promise<T>,
): Promise<T> {
  const pending = new PendingHooks();
  let written: OutboxEventRecord[] = [];
  const result = await ctx.store.transaction(scope, async (tx) => {
    const value = await fn(tx, pending);
    // Last, after every lock the change took: events of one workspace get their order in commit order.
    written = await writeEvents(ctx, tx, scope, pending);
    return value;
  });
  await pending.runFollowUps(ctx.logger);
  await deliverWritten(ctx, written);
  return result;
}

/**
 * Writes one hook event in a transaction of its own and delivers it as {@link inTransaction} does: for an
 * event that no state change of ours carries (a mandate cancellation the gateway refused, a quota
 * threshold crossed by a metered call), so it is as durable as the others.
 *
 * @example
 * await emitEvent(ctx, 'anomaly', { kind: 'mandate_cancel_failed', detail, workspaceId, subjectId });
 */
export async function emitEvent<K extends HookName>(
  ctx: BillingContext,
  name: K,
  event: HookPayload<K>,
): Promise<void> {
  const workspaceId = eventWorkspaceId(event as Record<string, unknown>);
  const scope = workspaceId === null ? SYSTEM_SCOPE : workspaceScope(workspaceId);
  await inTransaction(ctx, scope, async (_tx, hooks) => hooks.add(name, event));
}

/** Appends an audit row (inside the caller's transaction). */
export function audit(
  ctx: BillingContext,
  tx: BillingTransaction,
  entry: Omit<AuditRecord, 'id' | 'createdAt'>,
): Promise<AuditRecord> {
  return tx.audit.append(auditEntry(ctx, entry));
}

/** An audit row with its id and time, for a store write that appends it with the change it records (`{ audit }`). */
export function auditEntry(ctx: BillingContext, entry: Omit<AuditRecord, 'id' | 'createdAt'>): AuditRecord {
  return { ...entry, id: ctx.ids('aud'), createdAt: ctx.clock.now() };
}

/** A plan by id: the code-declared one, else the stored one (retired plans stay readable). */
export async function findPlan(
  ctx: BillingContext,
  tx: BillingTransaction,
  planId: string,
): Promise<PlanRecord | null> {
  return ctx.plans.get(planId) ?? (await tx.plans.get(planId));
}

/** Like {@link findPlan} but throws `PLAN_NOT_FOUND`. */
export async function requirePlan(ctx: BillingContext, tx: BillingTransaction, planId: string): Promise<PlanRecord> {
  const plan = await findPlan(ctx, tx, planId);
  if (!plan) throw planNotFound(planId);
  return plan;
}

/** The `PLAN_NOT_FOUND` error for `planId`. */
export function planNotFound(planId: string): BillingError {
  return new BillingError(
    'PLAN_NOT_FOUND',
    `Plan "${planId}" does not exist; list plans with GET /plans or billing.listPlans().`,
    { details: { planId } },
  );
}

/**
 * The gateway that holds a stored row — `payment.gateway`, `sub.mandateGateway` — so an existing payment or
 * mandate stays on the gateway that created it whatever the default is now. `null` (a mandate row from before
 * gateways were recorded) is the default gateway's. A gateway the manager does not hold is refused clearly.
 */
export function gatewayFor(ctx: BillingContext, name: string | null): PaymentGateway {
  if (name === null) return ctx.gateway;
  const gateway = ctx.gateways.get(name);
  if (gateway) return gateway;
  throw new BillingError(
    'GATEWAY_NOT_CONFIGURED',
    `This row is held by the gateway "${name}", which this SubscriptionManager was not given; add it to \`gateways\` (held: ${[...ctx.gateways.keys()].join(', ')}).`,
    { details: { gateway: name } },
  );
}

/** A stored payment as its gateway's calls name it. */
export function paymentRef(
  payment: Pick<PaymentRecord, 'merchantOrderId' | 'phonepeOrderId' | 'method' | 'expiresAt'>,
): PaymentRef {
  return {
    merchantOrderId: payment.merchantOrderId,
    gatewayOrderId: payment.phonepeOrderId,
    method: payment.method,
    expiresAt: payment.expiresAt,
  };
}

/** A subscription's mandate as its gateway's calls name it (`null` without one). */
export function mandateRef(
  sub: Pick<SubscriptionRecord, 'merchantSubscriptionId' | 'phonepeSubscriptionId'>,
): MandateRef | null {
  return sub.merchantSubscriptionId === null
    ? null
    : { merchantMandateId: sub.merchantSubscriptionId, gatewayMandateId: sub.phonepeSubscriptionId };
}

/**
 * The gateway that holds a subscription's mandate (`null` without one). A mandate row without it was written
 * before gateways were recorded — by a process of the previous version during a deploy — when PhonePe was the
 * only gateway: it is PhonePe's, whatever the default is now.
 */
export function mandateGatewayName(
  sub: Pick<SubscriptionRecord, 'mandateGateway' | 'merchantSubscriptionId'>,
): string | null {
  return sub.mandateGateway ?? (sub.merchantSubscriptionId !== null ? 'phonepe' : null);
}

/** The gateway that holds a subscription's mandate, or the default one for a subscription without a mandate. */
export function mandateGatewayFor(
  ctx: BillingContext,
  sub: Pick<SubscriptionRecord, 'mandateGateway' | 'merchantSubscriptionId'>,
): PaymentGateway {
  return gatewayFor(ctx, mandateGatewayName(sub));
}

/** The phase of a subscription's stored mandate state, read by the gateway that holds it (`null` without a mandate). */
export function mandatePhase(
  ctx: BillingContext,
  sub: Pick<SubscriptionRecord, 'mandateState' | 'mandateGateway' | 'merchantSubscriptionId'>,
): MandatePhase | null {
  return sub.mandateState === null ? null : mandateGatewayFor(ctx, sub).mandatePhase(String(sub.mandateState));
}

/** Runs a caller's progress callback; one that throws is logged and never stops the billing run. */
export function notify(ctx: Pick<BillingContext, 'logger'>, callback: () => void): void {
  try {
    callback();
  } catch (error) {
    ctx.logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'a progress callback threw; ignored',
    );
  }
}
