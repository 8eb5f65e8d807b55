// Bodies with the shapes of PhonePe's own SDK test fixtures (same fields, nesting and value types; the
// values are ours). Each names the public file whose fixture it mirrors. They are what PhonePe's SDKs are
// tested against, and sparser than PhonePe's documentation samples — so the client must accept them.

/** Order status answers. */
export const ORDER_STATUS_BODIES = {
  // PhonePe/phonepe-pg-sdk-node tests/order.test.ts — an attempt without state, timestamp or amount.
  attemptWithoutState: {
    orderId: 'OMO-T-1',
    state: 'PENDING',
    expireAt: 1700000600000,
    amount: 100,
    paymentDetails: [
      { paymentMode: 'UPI_COLLECT', transactionId: 'OM-T-1', instrument: { type: 'ACCOUNT', ifsc: 'IFSC0001' } },
    ],
  },
  // PhonePe/phonepe-pg-sdk-node tests/order.test.ts — two tries, the second with a PG rail.
  twoTries: {
    orderId: 'OMO-T-2',
    state: 'COMPLETED',
    expireAt: 1700000600000,
    amount: 100,
    paymentDetails: [
      {
        paymentMode: 'UPI_COLLECT',
        transactionId: 'OM-T-2a',
        errorCode: 'E1',
        detailedErrorCode: 'D1',
        instrument: { type: 'ACCOUNT', ifsc: 'IFSC0001' },
      },
      {
        paymentMode: 'UPI_INTENT',
        transactionId: 'OM-T-2b',
        state: 'COMPLETED',
        instrument: { type: 'ACCOUNT', accountHolderName: 'A' },
        rail: { type: 'PG', authorizationCode: 'C1' },
      },
    ],
  },
  // PhonePe/phonepe-pg-sdk-python tests/test_order_status.py — no merchantId/merchantOrderId, partial metaInfo.
  upiCompleted: {
    orderId: 'OMO-T-3',
    state: 'COMPLETED',
    amount: 100,
    expireAt: 172800000,
    metaInfo: { udf1: 'a', udf2: 'b', udf3: 'c' },
    paymentDetails: [
      {
        paymentMode: 'UPI_QR',
        transactionId: 'OM-T-3',
        timestamp: 22,
        amount: 22,
        state: 'COMPLETED',
        rail: { type: 'UPI', utr: 'U1', upiTransactionId: 'UT1', vpa: 'v@x' },
        instrument: {
          type: 'ACCOUNT',
          maskedAccountNumber: 'XX12',
          accountType: 'SAVINGS',
          accountHolderName: 'A',
          ifsc: 'IFSC0001',
        },
      },
    ],
  },
  // PhonePe/phonepe-pg-sdk-python tests/test_order_status.py — wallet + gift-voucher split, undeclared extra fields.
  walletSplit: {
    orderId: 'OMO-T-4',
    state: 'COMPLETED',
    amount: 300,
    expireAt: 1709108895182,
    metaInfo: { udf1: 'x1', udf2: 'x2', udf3: 'x3', udf4: 'x4' },
    paymentDetails: [
      {
        transactionId: 'OM-T-4a',
        paymentMode: 'UPI_INTENT',
        timestamp: 1709108475790,
        amount: 300,
        state: 'FAILED',
        errorCode: 'PAYMENT_ERROR',
        detailedErrorCode: 'TXN_AUTO_FAILED',
        responseCode: 'PAYMENT_ERROR',
        backendErrorCode: 'TXN_AUTO_FAILED',
      },
      {
        transactionId: 'OM-T-4b',
        paymentMode: 'PPE_INTENT',
        timestamp: 1709108476471,
        amount: 300,
        state: 'COMPLETED',
        responseCode: 'PAYMENT_SUCCESS',
        backendErrorCode: 'SUCCESS',
        splitInstruments: [
          { instrument: { type: 'WALLET' }, rail: { type: 'PPI_WALLET' }, amount: 150 },
          { instrument: { type: 'EGV' }, rail: { type: 'PPI_EGV' }, amount: 150 },
        ],
      },
    ],
  },
  // PhonePe/phonepe-pg-sdk-python tests/test_order_status.py — a failed card/token payment.
  tokenFailed: {
    orderId: 'OMO-T-5',
    state: 'FAILED',
    amount: 100,
    expireAt: 1713685736321,
    errorCode: 'AUTHORIZATION_ERROR',
    paymentDetails: [
      {
        paymentMode: 'TOKEN',
        transactionId: 'OM-T-5',
        timestamp: 1713512936321,
        amount: 100,
        state: 'FAILED',
        errorCode: 'AUTHORIZATION_ERROR',
        rail: { type: 'PG', transactionId: 'P1', authorizationCode: 'A1', serviceTransactionId: 'S1' },
        instrument: { type: 'CREDIT_CARD', bankTransactionId: 'B1', bankId: 'BK', arn: 'R1', brn: 'N1' },
      },
    ],
  },
  // PhonePe/phonepe-pg-sdk-java src/test/OrderStatusTest.java — Jackson's nulls and primitive zeros.
  nullHeavy: {
    merchantId: null,
    merchantOrderId: null,
    orderId: 'OMO-T-6',
    state: 'PENDING',
    amount: 0,
    paymentFlow: null,
    payableAmount: 0,
    feeAmount: 0,
    expireAt: 0,
    errorCode: null,
    detailedErrorCode: null,
    metaInfo: null,
    paymentDetails: null,
  },
  // PhonePe/phonepe-pg-sdk-python tests/test_order_status.py test_check_status_subscription — an API-family setup order.
  subscriptionSetup: {
    merchantId: 'MID',
    merchantOrderId: 'MO-S-1',
    orderId: 'OMO-S-1',
    state: 'COMPLETED',
    amount: 200,
    expireAt: 170879838,
    paymentFlow: {
      type: 'SUBSCRIPTION_SETUP',
      merchantSubscriptionId: 'MS-1',
      authWorkflowType: 'TRANSACTION',
      amountType: 'FIXED',
      maxAmount: 200,
      frequency: 'ON_DEMAND',
      subscriptionId: 'OMS-1',
    },
    paymentDetails: [
      {
        transactionId: 'OM-S-1',
        paymentMode: 'UPI_INTENT',
        timestamp: 1708797965588,
        amount: 200,
        state: 'COMPLETED',
        instrument: {
          type: 'ACCOUNT',
          maskedAccountNumber: 'XX00',
          ifsc: 'IFSC0001',
          accountHolderName: 'A',
          accountType: 'SAVINGS',
        },
        rail: { type: 'UPI', utr: 'U1', vpa: 'v@x' },
        errorCode: 'PRESENT ONLY IF TRANSACTION IS FAILED',
        detailedErrorCode: 'PRESENT ONLY IF TRANSACTION IS FAILED',
      },
    ],
  },
  // PhonePe/phonepe-pg-sdk-go subscription/v2/subscription_client_test.go — nothing but the id and the state.
  bare: { merchantOrderId: 'MO-G-1', state: 'COMPLETED' },
} as const;

/** Refund status answers. */
export const REFUND_STATUS_BODIES = {
  // PhonePe/phonepe-pg-sdk-python tests/test_refund_status.py — no refundId.
  confirmed: {
    merchantId: 'MID',
    merchantRefundId: 'R-1',
    originalMerchantOrderId: 'MO-1',
    amount: 100,
    state: 'CONFIRMED',
    paymentDetails: [
      {
        transactionId: 'OMR-1',
        paymentMode: 'UPI_INTENT',
        timestamp: 1709808824322,
        amount: 100,
        state: 'CONFIRMED',
        responseCode: 'PAYMENT_SUCCESS',
        backendErrorCode: 'SUCCESS',
      },
    ],
  },
  // PhonePe/phonepe-pg-sdk-node tests/refundstatus.test.ts — an attempt without transactionId or state.
  sparseAttempt: {
    merchantRefundId: 'R-2',
    amount: 100,
    state: 'PENDING',
    paymentDetails: [{ paymentMode: 'UPI_COLLECT', timestamp: 34234324 }],
  },
  // PhonePe/phonepe-pg-sdk-java src/test/RefundTest.java.
  completed: {
    merchantId: 'M',
    merchantRefundId: 'R-3',
    originalMerchantOrderId: 'MO-3',
    amount: 100,
    state: 'COMPLETED',
    paymentDetails: [],
  },
  // PhonePe/phonepe-pg-sdk-dot-net tests/RefundStatusTests.cs — explicit nulls.
  explicitNulls: {
    merchantRefundId: 'R-5',
    amount: 100,
    state: 'PENDING',
    paymentDetails: [
      {
        transactionId: 'OMR-5',
        paymentMode: 'UPI_INTENT',
        timestamp: 1,
        amount: 100,
        state: 'PENDING',
        errorCode: null,
        detailedErrorCode: null,
        instrument: null,
        rail: null,
        splitInstruments: [],
      },
    ],
  },
  // PhonePe/phonepe-pg-sdk-go subscription/v2/subscription_client_test.go.
  bare: { merchantRefundId: 'R-4', state: 'SUCCESS' },
} as const;

/** Answers of the creating calls. */
export const CREATE_BODIES = {
  // PhonePe/phonepe-pg-sdk-node tests/pay.test.ts
  pay: { orderId: 'o', state: 'PENDING', expireAt: 238462442, redirectUrl: 'r' },
  // PhonePe/phonepe-pg-sdk-node tests/createorder.test.ts
  sdkOrder: { orderId: 'o', expireAt: 3242342, state: 'PENDING', token: 't' },
  // PhonePe/phonepe-pg-sdk-node tests/refund.test.ts; Java src/test/RefundTest.java uses state CREATED.
  refund: { refundId: 'OMR-5', amount: 3, state: 'PENDING' },
  refundCreated: { refundId: 'OMR-6', amount: 3, state: 'CREATED' },
  // PhonePe/phonepe-pg-sdk-go subscription/v2/subscription_client_test.go — no refundId, no amount.
  refundBare: { merchantRefundId: 'R-5', state: 'PENDING' },
  // PhonePe/phonepe-pg-sdk-python tests/test_subscription_notify.py — no expireAt.
  notify: { orderId: 'OMO-N-1', state: 'PENDING' },
  // PhonePe/phonepe-pg-sdk-python tests/test_subscription_redeem.py
  redeem: { transactionId: 'OM-R-1', state: 'PENDING' },
  // PhonePe/phonepe-pg-sdk-go subscription/v2/subscription_client_test.go — no transactionId.
  redeemBare: { merchantOrderId: 'MO-R-2', state: 'SUCCESS' },
  // PhonePe/phonepe-pg-sdk-go subscription/v2/subscription_client_test.go — API-family setup.
  apiSetup: { orderId: 'SUB_ORDER123', state: 'PENDING', redirectUrl: 'https://mercury-uat.phonepe.com/transact/x' },
} as const;

/** Subscription status answers. */
export const SUBSCRIPTION_STATUS_BODIES = {
  // PhonePe/phonepe-pg-sdk-python tests/test_subscription_status_response.py
  python: { merchantSubscriptionId: '123456', state: 'ACTIVE', authWorkflowType: 'PENNY_DROP', frequency: 'ON_DEMAND' },
  // PhonePe/phonepe-pg-sdk-go subscription/v2/subscription_client_test.go
  bare: { merchantSubscriptionId: 'SUB123', state: 'ACTIVE' },
} as const;

/** OAuth token answers. */
export const TOKEN_BODIES = {
  // PhonePe/phonepe-pg-sdk-python tests/test_token_service.py (times relative to `issuedAtS`).
  python: (issuedAtS: number) => ({
    access_token: 'a',
    encrypted_access_token: 'e',
    refresh_token: 'r',
    expires_in: 5014,
    issued_at: issuedAtS,
    expires_at: issuedAtS + 7200,
    session_expires_at: issuedAtS + 7200,
    token_type: 'O-Bearer',
  }),
  // PhonePe/phonepe-pg-sdk-node tests/tokenservice.test.ts
  node: (issuedAtS: number) => ({
    access_token: 'n',
    encrypted_access_token: 'e',
    issued_at: issuedAtS,
    expires_at: issuedAtS + 3600,
    token_type: 'O-Bearer',
  }),
} as const;

/** Error answers: [HTTP status, body] (a string body is sent as text). */
export const ERROR_BODIES = {
  // PhonePe/phonepe-pg-sdk-node tests/order.test.ts and tests/transaction.test.ts
  unknownOrder: [400, { code: 'MERCHANT_ORDER_MAPPING_NOT_FOUND', message: 'No entry found for Merchant', data: {} }],
  unknownTransaction: [400, { code: 'MAPPING_NOT_FOUND', message: 'No entry found for Merchant', data: {} }],
  // PhonePe/phonepe-pg-sdk-go payments/v2/standardcheckout/order_status_variations_test.go
  orderNotFound: [404, { code: 'ORDER_NOT_FOUND', message: 'Not Found' }],
  refundNotFound: [404, { code: 'REFUND_NOT_FOUND', message: 'Refund not found' }],
  // PhonePe/phonepe-pg-sdk-node tests/pay.test.ts
  badRequest: [400, { code: 'BAD_REQUEST', message: 'merchantOrderId must not be blank.', data: {} }],
  // PhonePe/phonepe-pg-sdk-go error_handling_test.go — errorCode read before code.
  bothCodes: [400, { errorCode: 'OIM000', code: 'INVALID_CLIENT', message: 'Bad Request: Invalid Client' }],
  // PhonePe/phonepe-pg-sdk-python tests/test_exception.py — not JSON.
  textBody: [503, 'R999'],
  // PhonePe/phonepe-pg-sdk-python autopay failure tests — a code with a space.
  spacedCode: [400, { code: 'Bad Request', message: 'message', data: { a: 'b' } }],
} as const;

/** Webhook bodies (PhonePe's fixtures use username `username`, password `password`). */
export const WEBHOOK_BODIES = {
  // PhonePe/phonepe-pg-sdk-python tests/test_validate_callback.py — no paymentDetails.
  notificationCompleted: {
    event: 'subscription.notification.completed',
    type: 'SUBSCRIPTION_NOTIFICATION_COMPLETED',
    payload: {
      merchantId: 'TESTMID',
      merchantOrderId: 'MO-N-2',
      orderId: 'OMO-N-2',
      amount: 100,
      state: 'NOTIFIED',
      expireAt: 1620891733101,
      metaInfo: { udf1: 'm1', udf2: 'm2', udf3: 'm3', udf4: 'm4' },
      paymentFlow: {
        type: 'SUBSCRIPTION_REDEMPTION',
        merchantSubscriptionId: 'MS-2',
        redemptionRetryStrategy: 'CUSTOM',
        autoDebit: true,
        validAfter: 1628229131000,
        validUpto: 1628574731000,
        notifiedAt: 1622539751586,
      },
    },
  },
  // PhonePe/phonepe-pg-sdk-java src/test/CallbackTest.java testNotifyValidate — no type, times as strings.
  notificationJava: {
    event: 'subscription.notification.completed',
    payload: {
      merchantId: 'TESTMID',
      merchantOrderId: 'MO-N-3',
      orderId: 'OMO-N-3',
      amount: 100,
      state: 'NOTIFIED',
      expireAt: 1620891733101,
      metaInfo: { udf1: 'm1', udf5: 'm5' },
      paymentFlow: {
        type: 'SUBSCRIPTION_REDEMPTION',
        merchantSubscriptionId: 'MS-3',
        redemptionRetryStrategy: 'CUSTOM',
        autoDebit: true,
        validAfter: '1628229131000',
        validUpto: '1628574731000',
        notifiedAt: '1622539751586',
      },
    },
  },
  // PhonePe/phonepe-pg-sdk-java src/test/CallbackTest.java subscriptionSetupSuccess — only splitInstruments on the attempt.
  setupCompleted: {
    event: 'subscription.setup.order.completed',
    payload: {
      merchantId: 'MID123',
      merchantOrderId: 'MO-S-3',
      orderId: 'OMO-S-3',
      state: 'COMPLETED',
      amount: 200,
      expireAt: 1708798385505,
      paymentFlow: {
        type: 'SUBSCRIPTION_SETUP',
        merchantSubscriptionId: 'MS-3',
        authWorkflowType: 'TRANSACTION',
        amountType: 'FIXED',
        maxAmount: 200,
        frequency: 'ON_DEMAND',
        subscriptionId: 'OMS-3',
      },
      errorCode: '<PRESENT ONLY IF STATE IS FAILED>',
      detailedErrorCode: '<PRESENT ONLY IF STATE IS FAILED>',
      paymentDetails: [
        {
          transactionId: 'OM-S-3',
          paymentMode: 'UPI_INTENT',
          timestamp: 1708797965588,
          amount: 200,
          state: 'COMPLETED',
          splitInstruments: [
            {
              instrument: {
                type: 'ACCOUNT',
                maskedAccountNumber: 'XX00',
                ifsc: 'IFSC0001',
                accountHolderName: 'A',
                accountType: 'SAVINGS',
              },
              rail: { type: 'UPI', utr: 'U1', vpa: 'v@x', umn: 'umn@x' },
              amount: 200,
            },
          ],
        },
      ],
    },
  },
  // PhonePe/phonepe-pg-sdk-python tests/test_validate_callback.py — a cancelled mandate keeps its pause dates.
  cancelled: {
    event: 'subscription.cancelled',
    type: 'SUBSCRIPTION_CANCELLED',
    payload: {
      merchantSubscriptionId: 'MS-4',
      subscriptionId: 'OMS-4',
      state: 'CANCELLED',
      authWorkflowType: 'TRANSACTION',
      amountType: 'FIXED',
      maxAmount: 200,
      frequency: 'ON_DEMAND',
      expireAt: 1737278524000,
      pauseStartDate: 1708798426196,
      pauseEndDate: 1708885799000,
    },
  },
  // PhonePe/phonepe-pg-sdk-python tests/test_validate_callback.py — refund accepted, no refundId.
  refundAccepted: {
    event: 'pg.refund.accepted',
    type: 'PG_REFUND_ACCEPTED',
    payload: {
      merchantId: 'MID',
      merchantRefundId: 'R-7',
      originalMerchantOrderId: 'MO-7',
      amount: 100,
      state: 'CONFIRMED',
      paymentDetails: [
        { paymentMode: 'UPI_INTENT', timestamp: 1, amount: 100, transactionId: 'OMR-7', state: 'CONFIRMED' },
      ],
    },
  },
  // PhonePe/phonepe-pg-sdk-python tests/test_validate_callback.py test_with_fee_amount — credit-line UPI.
  withFees: {
    event: 'pg.order.completed',
    type: 'PG_ORDER_COMPLETED',
    payload: {
      merchantId: 'MID',
      merchantOrderId: 'MO-F-1',
      orderId: 'OMO-F-1',
      state: 'COMPLETED',
      amount: 100,
      expireAt: 1,
      paymentDetails: [
        {
          transactionId: 'OM-F-1',
          paymentMode: 'UPI_INTENT',
          timestamp: 1,
          amount: 100,
          payableAmount: 100,
          feeAmount: 0,
          state: 'COMPLETED',
          instrument: { type: 'ACCOUNT', accountType: 'CREDIT' },
        },
      ],
    },
  },
  // PhonePe/phonepe-pg-sdk-python tests/test_validate_callback.py — an attempt failed; the order is still pending.
  attemptFailed: {
    event: 'checkout.transaction.attempt.failed',
    type: 'CHECKOUT_TRANSACTION_ATTEMPT_FAILED',
    payload: {
      merchantId: 'MID',
      merchantOrderId: 'MO-A-1',
      orderId: 'OMO-A-1',
      state: 'PENDING',
      amount: 100,
      expireAt: 1,
      errorCode: 'TXN_AUTO_FAILED',
      detailedErrorCode: 'ZA',
      paymentDetails: [
        {
          transactionId: 'OM-A-1',
          paymentMode: 'UPI_COLLECT',
          timestamp: 1,
          amount: 100,
          state: 'FAILED',
          errorCode: 'TXN_AUTO_FAILED',
          detailedErrorCode: 'ZA',
        },
      ],
    },
  },
} as const;

/** PhonePe's own expected Authorization for username `username`, password `password` (Python's fixture). */
export const SDK_FIXTURE_AUTHORIZATION = 'bc842c31a9e54efe320d30d948be61291f3ceee4766e36ab25fa65243cd76e0e';
