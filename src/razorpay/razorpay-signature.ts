// Razorpay's two signatures (docs/razorpay.md#signatures): both lowercase hex HMAC-SHA256, with web
// crypto only (the core runs without node:*). Verification goes through crypto.subtle.verify, which
// compares in constant time, so a forger learns nothing from how long a wrong guess takes.

const encoder = new TextEncoder();

async function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

const bytesOf = (data: string | Uint8Array): Uint8Array<ArrayBuffer> =>
  typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data);

/**
 * The lowercase hex HMAC-SHA256 of `data` keyed by `secret`: what Razorpay puts in
 * `X-Razorpay-Signature` (data = the raw webhook body, secret = the webhook secret) and in
 * `razorpay_signature` (data = `order_id|payment_id`, secret = the key secret). For emulators and tests.
 *
 * @example
 * const signature = await computeRazorpaySignature(rawBody, webhookSecret);
 */
export async function computeRazorpaySignature(data: string | Uint8Array, secret: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(secret), bytesOf(data));
  return Array.from(new Uint8Array(mac), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * True when `signature` is the hex HMAC-SHA256 of `data` under `secret`, compared in constant time.
 * Anything that is not 64 hex digits is false. Razorpay sends lowercase; uppercase hex is accepted too.
 *
 * @example
 * if (!(await razorpaySignatureMatches(rawBody, header, webhookSecret))) return new Response(null, { status: 400 });
 */
export async function razorpaySignatureMatches(
  data: string | Uint8Array,
  signature: string,
  secret: string,
): Promise<boolean> {
  if (!/^[0-9a-fA-F]{64}$/.test(signature) || secret === '') return false;
  const expected = new Uint8Array(32);
  for (let i = 0; i < 32; i += 1) expected[i] = Number.parseInt(signature.slice(i * 2, i * 2 + 2), 16);
  return crypto.subtle.verify('HMAC', await hmacKey(secret), expected, bytesOf(data));
}

/**
 * Checks the `razorpay_signature` Standard Checkout hands to its `handler`: the HMAC-SHA256 of
 * `order_id + "|" + payment_id` under the API key secret. Pass the order id you stored when you created the
 * order, never one taken from the browser. A true answer proves the pair came from Razorpay; the payment's
 * status still comes from `getPayment`.
 *
 * @example
 * const ok = await verifyRazorpayPaymentSignature({ orderId: stored.orderId, paymentId, signature }, keySecret);
 */
export async function verifyRazorpayPaymentSignature(
  input: { orderId: string; paymentId: string; signature: string },
  keySecret: string,
): Promise<boolean> {
  if (input.orderId === '' || input.paymentId === '') return false;
  return razorpaySignatureMatches(`${input.orderId}|${input.paymentId}`, input.signature, keySecret);
}
