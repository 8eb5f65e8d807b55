// phonepe-billing/razorpay — Razorpay's REST API as this library speaks it: RazorpayClient (orders,
// payments, refunds, customers, recurring tokens and debits), its error family, and the webhook and
// checkout signature checks. Web-standard globals only; no dependency beyond zod.
export * from '../razorpay/index.js';
