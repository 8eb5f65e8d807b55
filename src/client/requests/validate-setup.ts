import { PhonePeValidationError } from '../errors/phonepe-validation-error.js';
import {
  checkMandateAmounts,
  type SubscriptionApiSetupRequest,
  subscriptionApiSetupRequestSchema,
  type SubscriptionCheckoutSetupRequest,
  subscriptionCheckoutSetupRequestSchema,
} from './subscription-setup-request.js';
import { validateRequest } from './validate-request.js';

/** Validates a checkout-family setup, including the amount rules across fields. */
export function validateCheckoutSetup(operation: string, request: SubscriptionCheckoutSetupRequest): void {
  validateRequest(operation, subscriptionCheckoutSetupRequestSchema, request);
  const problem = checkMandateAmounts(
    request.amount,
    request.paymentFlow.subscriptionDetails,
    'paymentFlow.subscriptionDetails',
  );
  if (problem !== undefined) throw new PhonePeValidationError({ operation, ...problem });
}

/** Validates an API-family setup, including the amount rules across fields. */
export function validateApiSetup(operation: string, request: SubscriptionApiSetupRequest): void {
  validateRequest(operation, subscriptionApiSetupRequestSchema, request);
  const problem = checkMandateAmounts(request.amount, request.paymentFlow, 'paymentFlow');
  if (problem !== undefined) throw new PhonePeValidationError({ operation, ...problem });
}
