/** PG and OAuth share the sandbox prefix (docs/phonepe-protocol.md#hosts). */
export const PG_BASE_PATH = '/apis/pg-sandbox';

/** The hosted checkout page, shaped like PhonePe's sandbox `…/transact/uat_v2?token=…` (docs/phonepe-protocol.md#sandbox). */
export const HOSTED_PAGE_PATH = '/transact/uat_v2';

/** The stand-in for PhonePe's `checkout.js`, at the path PhonePe serves its own from (docs/phonepe-protocol.md#paypage). */
export const CHECKOUT_SCRIPT_PATH = '/web/bundle/checkout.js';

/** Control routes for tests and people. */
export const CONTROL_BASE_PATH = '/__emulator';
