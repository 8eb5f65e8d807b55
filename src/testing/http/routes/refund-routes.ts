import { findOrderForRefund, requireRefund } from '../../core/refund-lookup.js';
import { createRefund } from '../../core/refund-transitions.js';
import { refundView } from '../../core/refund-view.js';
import { authenticateMerchant } from '../authenticate-merchant.js';
import { jsonResponse } from '../json-response.js';
import { readJsonBody } from '../read-json-body.js';
import type { Route } from '../route-table.js';
import { parseRequest } from '../validation/parse-request.js';
import { refundRequestSchema } from '../validation/subscription-request-schemas.js';
import { PG_BASE_PATH } from './paths.js';

/** Refund and refund status, shared by every flow (docs/phonepe-protocol.md#refund). */
export const refundRoutes: Route[] = [
  {
    method: 'POST',
    path: `${PG_BASE_PATH}/payments/v2/refund`,
    async handle({ core, request }) {
      const merchant = authenticateMerchant(core, request);
      const input = parseRequest(refundRequestSchema, await readJsonBody(request));
      const refund = createRefund(core, merchant, input);
      return jsonResponse({ refundId: refund.refundId, amount: refund.amount, state: refund.state });
    },
  },
  {
    method: 'GET',
    path: `${PG_BASE_PATH}/payments/v2/refund/:merchantRefundId/status`,
    handle({ core, request, params }) {
      const merchant = authenticateMerchant(core, request);
      const refund = requireRefund(core, merchant.merchantId, params.merchantRefundId!);
      return jsonResponse(refundView(refund, findOrderForRefund(core, refund), { shape: core.config.responseShape }));
    },
  },
];
