import type { OrderRecord, RefundRecord, SubscriptionRecord, TokenRecord } from './records.js';

/** Every record, merchant-scoped: merchant ids are unique per merchant, not globally. */
export interface EmulatorState {
  orders: Map<string, OrderRecord>;
  subscriptions: Map<string, SubscriptionRecord>;
  refunds: Map<string, RefundRecord>;
  tokens: Map<string, TokenRecord>;
  /** Hosted-page / SDK token → order key. */
  pageTokens: Map<string, string>;
  /** PhonePe transactionId → order key. */
  transactions: Map<string, string>;
}

export function createEmulatorState(): EmulatorState {
  return {
    orders: new Map(),
    subscriptions: new Map(),
    refunds: new Map(),
    tokens: new Map(),
    pageTokens: new Map(),
    transactions: new Map(),
  };
}

/** The map key of a merchant-scoped id. */
export function scopedKey(merchantId: string, id: string): string {
  return `${merchantId}\u0000${id}`;
}

export function clearEmulatorState(state: EmulatorState): void {
  for (const map of Object.values(state)) map.clear();
}
