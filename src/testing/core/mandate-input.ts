/** Mandate terms, as both setup families send them (§4.1 `subscriptionDetails`, §4.2 `paymentFlow`). */
export interface MandateInput {
  merchantSubscriptionId: string;
  authWorkflowType: string;
  amountType: string;
  maxAmount: number;
  frequency: string;
  productType?: string;
  expireAt?: number;
}
