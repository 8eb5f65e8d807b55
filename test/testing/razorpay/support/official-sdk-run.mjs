// Runs Razorpay's official Node SDK, unchanged, as a host app would. Started by
// razorpay-official-sdk.test.ts with HTTPS_PROXY and NODE_EXTRA_CA_CERTS, so the SDK's fixed
// https://api.razorpay.com reaches the emulator. Control calls go straight to the emulator (fetch
// ignores HTTPS_PROXY). Prints one JSON object with everything the SDK answered.
import Razorpay from 'razorpay';

const control = process.env.EMULATOR_CONTROL_URL;
const rzp = new Razorpay({ key_id: process.env.RZP_KEY_ID, key_secret: process.env.RZP_KEY_SECRET });
const pay = async (orderId) => (await fetch(`${control}/orders/${orderId}/pay`, { method: 'POST' })).json();
const refused = (promise) =>
  promise.then(
    () => null,
    (error) => error,
  );

const out = {};
out.order = await rzp.orders.create({
  amount: 50000,
  currency: 'INR',
  receipt: 'sdk_receipt_1',
  notes: { plan: 'pro' },
});
out.orderFetched = await rzp.orders.fetch(out.order.id);
out.ordersByReceipt = await rzp.orders.all({ receipt: 'sdk_receipt_1' });
out.checkout = await pay(out.order.id);
out.payment = await rzp.payments.fetch(out.checkout.razorpay_payment_id);
out.orderPayments = await rzp.orders.fetchPayments(out.order.id);
out.refund = await rzp.payments.refund(out.payment.id, { amount: 10000, speed: 'normal', notes: { why: 'sdk' } });
out.refundFetched = await rzp.refunds.fetch(out.refund.id);
out.refundOfPayment = await rzp.refunds.fetch(out.refund.id, { payment_id: out.payment.id });
out.paymentRefunds = await rzp.payments.fetchMultipleRefund(out.payment.id);
out.customer = await rzp.customers.create({
  name: 'SDK Payer',
  email: 'sdk@example.com',
  contact: '9000000099',
  fail_existing: '0',
});
out.customerAgain = await rzp.customers.create({
  name: 'SDK Payer',
  email: 'sdk@example.com',
  contact: '9000000099',
  fail_existing: '0',
});
out.authOrder = await rzp.orders.create({
  amount: 100,
  currency: 'INR',
  customer_id: out.customer.id,
  method: 'upi',
  token: { max_amount: 100000, expire_at: 2000000000, frequency: 'monthly' },
});
out.authCheckout = await pay(out.authOrder.id);
out.authPayment = await rzp.payments.fetch(out.authCheckout.razorpay_payment_id);
out.tokens = await rzp.customers.fetchTokens(out.customer.id);
out.token = await rzp.customers.fetchToken(out.customer.id, out.authPayment.token_id);
out.renewalOrder = await rzp.orders.create({
  amount: 49900,
  currency: 'INR',
  payment_capture: true,
  receipt: 'sdk_renewal_1',
});
out.recurring = await rzp.payments.createRecurringPayment({
  email: 'sdk@example.com',
  contact: '9000000099',
  amount: 49900,
  currency: 'INR',
  order_id: out.renewalOrder.id,
  customer_id: out.customer.id,
  token: out.token.id,
  recurring: '1',
  description: 'Renewal via the official SDK',
});
out.recurringPayment = await rzp.payments.fetch(out.recurring.razorpay_payment_id);
out.overMax = await refused(
  rzp.orders.create({ amount: 100001, currency: 'INR' }).then((o) =>
    rzp.payments.createRecurringPayment({
      email: 'sdk@example.com',
      contact: '9000000099',
      amount: 100001,
      currency: 'INR',
      order_id: o.id,
      customer_id: out.customer.id,
      token: out.token.id,
      recurring: '1',
    }),
  ),
);
out.unknownOrder = await refused(rzp.orders.fetch('order_DoesNotExist01'));
out.deleted = await rzp.customers.deleteToken(out.customer.id, out.token.id);
out.tokenAfterDelete = await refused(rzp.customers.fetchToken(out.customer.id, out.token.id));
process.stdout.write(JSON.stringify(out));
