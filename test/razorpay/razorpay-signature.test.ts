import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  computeRazorpaySignature,
  razorpaySignatureMatches,
  verifyRazorpayPaymentSignature,
} from '../../src/razorpay/index.js';

const KEY_SECRET = 'key-secret-for-signatures';
// Computed with node:crypto, independently of the web-crypto code under test.
const nodeHmac = (data: string, secret: string) => createHmac('sha256', secret).update(data).digest('hex');

describe('verifyRazorpayPaymentSignature', () => {
  const orderId = 'order_EKwxwAgItmmXdp';
  const paymentId = 'pay_29QQoUBi66xm2f';
  const good = nodeHmac(`${orderId}|${paymentId}`, KEY_SECRET);

  it('accepts the HMAC-SHA256 of order_id|payment_id under the key secret', async () => {
    expect(await verifyRazorpayPaymentSignature({ orderId, paymentId, signature: good }, KEY_SECRET)).toBe(true);
    expect(await computeRazorpaySignature(`${orderId}|${paymentId}`, KEY_SECRET)).toBe(good);
  });

  it('refuses a forged signature, the wrong secret, swapped ids and another order', async () => {
    const forged = `${good.slice(0, 63)}${good.endsWith('0') ? '1' : '0'}`;
    const results = await Promise.all([
      verifyRazorpayPaymentSignature({ orderId, paymentId, signature: forged }, KEY_SECRET),
      verifyRazorpayPaymentSignature({ orderId, paymentId, signature: good }, 'another-secret'),
      verifyRazorpayPaymentSignature({ orderId: paymentId, paymentId: orderId, signature: good }, KEY_SECRET),
      verifyRazorpayPaymentSignature({ orderId: 'order_other', paymentId, signature: good }, KEY_SECRET),
      verifyRazorpayPaymentSignature({ orderId, paymentId, signature: '' }, KEY_SECRET),
      verifyRazorpayPaymentSignature({ orderId, paymentId, signature: `${good}00` }, KEY_SECRET),
      verifyRazorpayPaymentSignature({ orderId, paymentId, signature: 'z'.repeat(64) }, KEY_SECRET),
      verifyRazorpayPaymentSignature({ orderId: '', paymentId: '', signature: nodeHmac('|', KEY_SECRET) }, KEY_SECRET),
    ]);
    expect(results).toEqual([false, false, false, false, false, false, false, false]);
  });

  it('matches bytes and text alike, and uppercase hex', async () => {
    const body = '{"event":"payment.captured"}';
    const signature = nodeHmac(body, 'whsec');
    expect(await razorpaySignatureMatches(new TextEncoder().encode(body), signature, 'whsec')).toBe(true);
    expect(await razorpaySignatureMatches(body, signature.toUpperCase(), 'whsec')).toBe(true);
    expect(await razorpaySignatureMatches(body, signature, '')).toBe(false);
  });
});
