import { createHmac, randomBytes } from 'node:crypto';

/** Lowercase hex HMAC-SHA256 of `message` keyed by `secret`, as Razorpay signs everything. */
export function hmacSha256Hex(secret: string, message: string): string {
  return createHmac('sha256', secret).update(message, 'utf8').digest('hex');
}

/**
 * The `razorpay_signature` Checkout hands the page: HMAC-SHA256 of `order_id|payment_id` keyed by the
 * key secret (https://razorpay.com/docs/payments/payment-gateway/s2s-integration/test-s2s/best-practices/security).
 */
export function razorpayPaymentSignature(orderId: string, paymentId: string, keySecret: string): string {
  return hmacSha256Hex(keySecret, `${orderId}|${paymentId}`);
}

/** `X-Razorpay-Signature`: HMAC-SHA256 of the raw webhook body keyed by the webhook secret (https://razorpay.com/docs/webhooks/validate-test/). */
export function razorpayWebhookSignature(body: string, webhookSecret: string): string {
  return hmacSha256Hex(webhookSecret, body);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A Razorpay-shaped id: `prefix_` plus 14 base-62 characters (e.g. `order_EKwxwAgItmmXdp`). */
export function razorpayId(prefix: string): string {
  const bytes = randomBytes(14);
  let tail = '';
  for (const byte of bytes) tail += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_${tail}`;
}
