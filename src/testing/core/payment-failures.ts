import type { FailureDetails } from './records.js';

/**
 * Failure codes the emulator uses, with the stage/source pairs PhonePe documents for them
 * (docs/phonepe-protocol.md#errors, developer.phonepe.com/payment-gateway/error-codes).
 */
export const KNOWN_FAILURES = {
  /** Default for `failOrder` and the hosted page's Fail button. */
  declined: {
    errorCode: 'INSUFFICIENT_BALANCE',
    detailedErrorCode: 'Z9',
    stage: 'AUTHORIZATION',
    source: 'CUSTOMER',
    description: 'Payment failed due to insufficient balance in customer account.',
  },
  /** The payer cancelled on the hosted page. */
  cancelled: {
    errorCode: 'TXN_NOT_COMPLETED',
    detailedErrorCode: 'TXN_AUTO_FAILED',
    stage: 'PRE_AUTHENTICATION',
    source: 'CUSTOMER',
    description: 'Payment could not be completed by the customer.',
  },
  /** Nobody paid before `expireAt` (the autopay order-status sample, docs/phonepe-protocol.md#order-status). */
  expired: {
    errorCode: 'OTHERS',
    detailedErrorCode: 'INTENT_EXPIRED',
    stage: 'PRE_AUTHENTICATION',
    source: 'CUSTOMER',
    description: 'The payment request expired before the customer completed it.',
  },
  invalidMpin: {
    errorCode: 'INVALID_MPIN',
    detailedErrorCode: 'ZM',
    stage: 'AUTHENTICATION',
    source: 'CUSTOMER',
    description: 'Customer entered the wrong UPI PIN.',
  },
  bankTechnicalIssue: {
    errorCode: 'BANK_TECHNICAL_ISSUE',
    detailedErrorCode: 'UT',
    stage: 'AUTHORIZATION',
    source: 'ISSUING_BANK',
    description: 'Technical issue at the customer bank.',
  },
  /** A refund the bank refused (emulator choice; PhonePe documents no refund failure codes for v2). */
  refundFailed: {
    errorCode: 'REFUND_FAILED',
    detailedErrorCode: 'REFUND_DECLINED_BY_BANK',
    stage: 'REFUND',
    source: 'ISSUING_BANK',
    description: 'The bank did not accept the refund.',
  },
} as const satisfies Record<string, FailureDetails>;

/**
 * The failure to record for a control call: the known entry for `errorCode` when there is one,
 * otherwise the given codes as they are.
 */
export function failureFor(errorCode?: string, detailedErrorCode?: string): FailureDetails {
  if (!errorCode) return { ...KNOWN_FAILURES.declined, ...(detailedErrorCode ? { detailedErrorCode } : {}) };
  const known = Object.values(KNOWN_FAILURES).find((f) => f.errorCode === errorCode);
  if (known) return { ...known, ...(detailedErrorCode ? { detailedErrorCode } : {}) };
  return { errorCode, detailedErrorCode: detailedErrorCode ?? errorCode };
}
