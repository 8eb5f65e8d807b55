import type { PaymentRecord } from '../../src/storage/records.js';
import type { KyselyStore } from '../../src/storage/kysely/index.js';

/**
 * Writes `n` checkout payments in state `pending` — what `createCheckout` leaves after PhonePe accepted
 * the order — straight into the store, 500 to a transaction: set-up, not measured. Order `i` is
 * `ord_${prefix}_${i}` of workspace `ws_${prefix}_${i}`, PhonePe order `OMO${prefix}${i}`.
 */
export async function seedPendingPayments(
  store: KyselyStore,
  prefix: string,
  n: number,
  now = Date.now(),
): Promise<PaymentRecord[]> {
  const payments = Array.from({ length: n }, (_, i) => pendingPayment(prefix, i, now));
  for (let start = 0; start < n; start += 500) {
    const batch = payments.slice(start, start + 500);
    await store.transaction({ system: true }, async (tx) => {
      for (const payment of batch) await tx.payments.insert(payment);
    });
  }
  return payments;
}

function pendingPayment(prefix: string, i: number, now: number): PaymentRecord {
  return {
    id: `txn_${prefix}_${i}`,
    workspaceId: `ws_${prefix}_${i}`,
    userId: 'u_bench',
    planId: 'pro',
    subscriptionId: null,
    merchantOrderId: `ord_${prefix}_${i}`,
    gateway: 'phonepe',
    gatewayAccount: null,
    phonepeOrderId: `OMO${prefix.replace(/[^A-Za-z0-9]/g, '')}${i}`,
    method: 'checkout',
    purpose: 'new_subscription',
    amountPaise: 299_900,
    currency: 'INR',
    state: 'pending',
    returnUrl: 'https://app.example.com/billing',
    paymentUrl: 'https://mercury-uat.phonepe.com/transact/uat_v2?token=bench',
    idempotencyKey: null,
    merchantSubscriptionId: null,
    periodStart: null,
    periodEnd: null,
    errorCode: null,
    detailedErrorCode: null,
    phonepeTransactionId: null,
    paymentMode: null,
    expiresAt: now + 30 * 60 * 1000,
    notifiedAt: null,
    redeemAfter: null,
    redeemBefore: null,
    attempts: 0,
    lastCheckedAt: null,
    firstSignalAt: null,
    settledAt: null,
    metadata: {},
    createdAt: now,
    updatedAt: now,
  };
}
