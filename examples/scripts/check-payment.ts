// Asks PhonePe for the status of one payment and settles it (as the webhook, the payer's return and the
// reconcile job would), then prints it.
//   npx tsx --tsconfig examples/tsconfig.json --env-file=.env.phonepe examples/scripts/check-payment.ts <order_id>
import { formatRupeesForDisplay } from 'phonepe-billing';
import { runScript } from './run-script.js';

await runScript(async ({ billing }, [orderId]) => {
  if (!orderId) {
    console.error('Usage: check-payment.ts <order_id>   (the order_id that POST /v1/payments/create returned)');
    return 2;
  }
  const stored = await billing.getPayment(orderId);
  if (!stored) {
    console.error(`No payment with order id ${orderId} in this database.`);
    return 1;
  }
  const result = await billing.refreshPayment(orderId);
  const payment = result.payment ?? stored;
  const change = result.outcome === 'changed' ? `${result.from} → ${result.to}` : `${payment.state} (unchanged)`;
  console.log(
    `${orderId}: ${change}, ${formatRupeesForDisplay(payment.amountPaise)} for plan ${payment.planId}, workspace ${payment.workspaceId}${payment.paymentMode ? `, paid by ${payment.paymentMode}` : ''}`,
  );
});
