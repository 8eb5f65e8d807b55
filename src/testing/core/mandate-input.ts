/** Mandate terms, as both setup families send them (docs/phonepe-protocol.md#autopay-checkout-setup `subscriptionDetails`, docs/phonepe-protocol.md#autopay-api-setup `paymentFlow`). */
export interface MandateInput {
  merchantSubscriptionId: string;
  authWorkflowType: string;
  amountType: string;
  maxAmount: number;
  frequency: string;
  productType?: string;
  expireAt?: number;
}
