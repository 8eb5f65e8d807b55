import { createRequire } from 'node:module';
import type { StandardCheckoutClient as SdkClient } from 'pg-sdk-node';

// PhonePe's official Node SDK (pg-sdk-node 2.0.2) is CommonJS with its hosts in one constant object
// that a client reads when it is constructed. Pointing it at a local server = rewriting that object
// first. (getInstance keeps one client per process, so the constructor is called directly: one
// client per base URL; the OAuth token cache is static in the SDK, shared by all of them.)
const require = createRequire(import.meta.url);
const sdk = require('pg-sdk-node') as typeof import('pg-sdk-node');
const { BaseUrl } = require('pg-sdk-node/dist/common/constants/BaseUrl') as {
  BaseUrl: Record<'SANDBOX', { PG_HOST_URL: string; OAUTH_HOST_URL: string; EVENTS_HOST_URL: string }>;
};

export const { StandardCheckoutPayRequest } = sdk;

type SdkConstructor = new (
  clientId: string,
  clientSecret: string,
  clientVersion: number,
  env: unknown,
  shouldPublishEvents: boolean,
) => SdkClient;

/** The SDK's StandardCheckoutClient for SANDBOX with its PG and OAuth hosts set to `baseUrl`, event publishing off. */
export function sdkClient(baseUrl: string): SdkClient {
  BaseUrl.SANDBOX.PG_HOST_URL = baseUrl;
  BaseUrl.SANDBOX.OAUTH_HOST_URL = baseUrl;
  return new (sdk.StandardCheckoutClient as unknown as SdkConstructor)(
    'BENCH_CLIENT',
    'bench-secret',
    1,
    sdk.Env.SANDBOX,
    false,
  );
}

/** The SDK's callback check (synchronous; it never calls the server). */
export function sdkValidateCallback(): SdkClient['validateCallback'] {
  return sdkClient('http://127.0.0.1:9/apis/pg-sandbox').validateCallback;
}
