/** Refund states as PhonePe reports them (docs/phonepe-protocol.md#refund-states), lowercased. `completed` and `failed` are terminal. */
export const REFUND_RECORD_STATES = ['pending', 'confirmed', 'completed', 'failed'] as const;
/** A stored refund's state (PhonePe's wire values are `RefundState` in phonepe-billing/client). */
export type RefundRecordState = (typeof REFUND_RECORD_STATES)[number];

/** One refund of a payment (`payment_refunds` table). At most one `pending`/`confirmed` refund per payment. */
export interface RefundRecord {
  id: string;
  workspaceId: string;
  paymentId: string;
  /** Our id for the refund at PhonePe (unique, never reused, ≤ 63 chars). */
  merchantRefundId: string;
  /** PhonePe's `refundId` (e.g. `OMR…`). */
  phonepeRefundId: string | null;
  amountPaise: number;
  state: RefundRecordState;
  reason: string | null;
  errorCode: string | null;
  requestedBy: string | null;
  /** When reconciliation last asked PhonePe about this refund. */
  lastCheckedAt: number | null;
  settledAt: number | null;
  createdAt: number;
  updatedAt: number;
}
