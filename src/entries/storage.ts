// phonepe-billing/storage — for those who implement or inspect a store: the BillingStore port, its
// repositories, the stored records and their value lists, the store errors, the in-memory store, and
// the payment state machine the stores' rows follow. The PostgreSQL / PGlite stores are in
// phonepe-billing/kysely; a host that only constructs a store needs the root entry.
export * from '../storage/index.js';
export { MemoryStore } from '../storage/memory/memory-store.js';
export type { MemoryStoreOptions } from '../storage/memory/memory-store.js';
export type { IdGenerator } from '../common/id-generator.js';
export { decidePayment, isTerminalPaymentState } from '../billing/index.js';
export type {
  PaymentSignal,
  PaymentDecision,
  PaymentFacts,
  ReportedPaymentState,
  SignalSource,
  SettlementResult,
} from '../billing/index.js';
