import { createBillingHandler } from '../../src/http/index.js';
import { ApiClient, handlerCaller } from './support/api-client.js';
import type { Mount } from './support/mounted-api.js';
import { describeRoutes } from './support/suites/routes-suite.js';

// The shared suite on the bare web handler: web Requests in, Responses out.
const bare: Mount = async (h) => ({ api: new ApiClient(handlerCaller(createBillingHandler(h.options())), '/v1'), close: async () => {} });

describeRoutes('bare handler', bare);
