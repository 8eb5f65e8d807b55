import type { PaymentAttemptRecord, PaymentMode, ResponseShape } from './records.js';

/** The instrument and rail PhonePe reports for a payment mode (docs/phonepe-protocol.md#order-status), with masked test values. */
export function instrumentAndRail(mode: PaymentMode, transactionId: string, utr: string) {
  const upiRail = { type: 'UPI', utr, upiTransactionId: `YBL${utr}`, vpa: '99****99@ybl' };
  const account = {
    type: 'ACCOUNT',
    maskedAccountNumber: 'XXXXXXXX4242',
    ifsc: 'HDFC0000001',
    accountHolderName: 'Emulator Test Payer',
    accountType: 'SAVINGS',
  };
  switch (mode) {
    case 'CARD':
      return {
        instrument: {
          type: 'DEBIT_CARD',
          bankTransactionId: utr,
          bankId: 'HDFC',
          brn: utr,
          arn: `${utr}00`,
          cardNetwork: 'VISA',
          maskedCardNumber: 'XXXXXXXXXXXX4242',
        },
        rail: { type: 'PG', transactionId, authorizationCode: utr.slice(0, 6), serviceTransactionId: `SVC${utr}` },
      };
    case 'NET_BANKING':
      return {
        instrument: { type: 'NET_BANKING', bankTransactionId: utr, bankId: 'SBIN', brn: utr, arn: `${utr}00` },
        rail: { type: 'PG', transactionId, authorizationCode: utr.slice(0, 6), serviceTransactionId: `SVC${utr}` },
      };
    case 'UPI_AUTO_PAY':
      return { instrument: account, rail: { ...upiRail, umn: `UMN${utr}@ybl` } };
    default:
      return { instrument: account, rail: upiRail };
  }
}

/**
 * One `paymentDetails[]` entry (docs/phonepe-protocol.md#order-status). `minimal` has no
 * `payableAmount`, `feeAmount` or `currency`, as in PhonePe's order-status fixtures.
 */
export function paymentAttemptView(attempt: PaymentAttemptRecord, shape: ResponseShape): Record<string, unknown> {
  const view: Record<string, unknown> = {
    transactionId: attempt.transactionId,
    paymentMode: attempt.paymentMode,
    timestamp: attempt.timestamp,
    amount: attempt.amount,
    ...(shape === 'documented' ? { payableAmount: attempt.amount, feeAmount: 0, currency: 'INR' } : {}),
    state: attempt.state,
  };
  if (attempt.failure) {
    view.errorCode = attempt.failure.errorCode;
    view.detailedErrorCode = attempt.failure.detailedErrorCode;
  }
  if (attempt.state !== 'FAILED')
    Object.assign(view, instrumentAndRail(attempt.paymentMode, attempt.transactionId, attempt.utr));
  return view;
}
