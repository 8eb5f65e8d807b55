import type { z } from 'zod';
import { refundStatusSchema } from '../client/schemas/refund-status.js';

/** A refund webhook payload: the refund-status object, where `refundId` may be missing (phonepe-api.md §5.2). */
export const refundWebhookPayloadSchema = refundStatusSchema.partial({ refundId: true });
/** @see refundWebhookPayloadSchema */
export type RefundWebhookPayload = z.infer<typeof refundWebhookPayloadSchema>;
