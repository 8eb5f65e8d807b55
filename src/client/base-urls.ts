/**
 * The PhonePe environments a client can talk to.
 *
 * @example
 * const env: PhonePeEnvironment = 'SANDBOX';
 */
export const PHONEPE_ENVIRONMENTS = ['SANDBOX', 'PRODUCTION'] as const;

/** `'SANDBOX'` (PhonePe UAT / pre-prod) or `'PRODUCTION'`. */
export type PhonePeEnvironment = (typeof PHONEPE_ENVIRONMENTS)[number];

/**
 * The two hosts a client calls: `pg` for payment APIs and `oauth` for `/v1/oauth/token`.
 * Both are absolute URLs without a trailing slash; paths are appended as-is.
 *
 * @example
 * const urls: PhonePeBaseUrls = { pg: 'http://127.0.0.1:4010', oauth: 'http://127.0.0.1:4010' };
 */
export interface PhonePeBaseUrls {
  pg: string;
  oauth: string;
}

// docs/phonepe-protocol.md#hosts. The OAuth prefix differs per environment (`pg-sandbox` vs
// `identity-manager`), so swapping only the host name would be wrong in production.
const BASE_URLS: Readonly<Record<PhonePeEnvironment, PhonePeBaseUrls>> = {
  SANDBOX: {
    pg: 'https://api-preprod.phonepe.com/apis/pg-sandbox',
    oauth: 'https://api-preprod.phonepe.com/apis/pg-sandbox',
  },
  PRODUCTION: {
    pg: 'https://api.phonepe.com/apis/pg',
    oauth: 'https://api.phonepe.com/apis/identity-manager',
  },
};

/**
 * The hosts PhonePe documents for an environment (docs/phonepe-protocol.md#hosts).
 *
 * @example
 * phonePeBaseUrls('PRODUCTION').oauth; // 'https://api.phonepe.com/apis/identity-manager'
 */
export function phonePeBaseUrls(env: PhonePeEnvironment): PhonePeBaseUrls {
  return { ...BASE_URLS[env] };
}
