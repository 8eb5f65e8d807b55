export {
  MERCHANT_ID_PATTERN,
  MIN_AMOUNT_PAISE,
  MIN_REFUND_AMOUNT_PAISE,
  PENNY_DROP_AMOUNT_PAISE,
} from './request-fields.js';
export type { MetaInfo } from './meta-info.js';
export type { PayRequest, SdkOrderRequest } from './pay-request.js';
export type { RefundRequest } from './refund-request.js';
export type {
  SubscriptionCheckoutSetupRequest,
  SubscriptionApiSetupRequest,
  SubscriptionSetupRequest,
} from './subscription-setup-request.js';
export { NOTIFY_FLOW_TYPES } from './notify-redemption-request.js';
export type { NotifyRedemptionRequest } from './notify-redemption-request.js';
