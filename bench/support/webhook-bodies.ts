/** The dashboard credentials every bench webhook is sent with. */
export const BENCH_WEBHOOK = { username: 'bench_hook', password: 'BenchPass123' } as const;

/** A `checkout.order.completed` body as PhonePe sends it (event + the order-status payload, one UPI attempt). */
export function orderCompletedBody(input: {
  merchantOrderId: string;
  orderId: string;
  amount: number;
  transactionId?: string;
  at?: number;
}): string {
  const at = input.at ?? 1_767_225_600_000;
  return JSON.stringify({
    event: 'checkout.order.completed',
    payload: {
      merchantId: 'BENCHMERCHANT',
      merchantOrderId: input.merchantOrderId,
      orderId: input.orderId,
      state: 'COMPLETED',
      amount: input.amount,
      expireAt: at + 1_800_000,
      metaInfo: {},
      paymentDetails: [
        {
          paymentMode: 'UPI_QR',
          transactionId: input.transactionId ?? `OM${input.orderId.slice(3)}`,
          timestamp: at,
          amount: input.amount,
          state: 'COMPLETED',
          splitInstruments: [
            {
              amount: input.amount,
              rail: { type: 'UPI', utr: '123456789012', upiTransactionId: 'YBL0123456789', vpa: 'payer@ybl' },
              instrument: { type: 'ACCOUNT', maskedAccountNumber: 'XXXX1234', accountType: 'SAVINGS' },
            },
          ],
        },
      ],
    },
  });
}
