import { createBillingHandler } from '../../src/http/index.js';
import { databaseUrl } from '../support/environment.js';
import { ApiClient, handlerCaller } from './support/api-client.js';
import type { Mount } from './support/mounted-api.js';
import { describeAuth } from './support/suites/auth-suite.js';
import { describeBadInput } from './support/suites/bad-input-suite.js';
import { describeGatewayRoutes } from './support/suites/gateway-routes-suite.js';
import { describeOutages } from './support/suites/outage-suite.js';
import { describeRoutes } from './support/suites/routes-suite.js';

// The shared suite on the bare web handler: web Requests in, Responses out. The adapters run it too.
const bare: Mount = async (h) => ({
  api: new ApiClient(handlerCaller(createBillingHandler(h.options())), '/v1'),
  close: async () => {},
});

describeRoutes('bare handler', bare);
describeAuth('bare handler', bare);
describeBadInput('bare handler', bare);
describeOutages('bare handler', bare);
describeGatewayRoutes('bare handler', bare, { prefix: '/v1' });
// NUL characters and lone surrogates are a PostgreSQL matter (the memory store could hold them): the
// bad-input suite again with the manager on a real PostgreSQL database.
if (databaseUrl) describeBadInput('bare handler on PostgreSQL', bare, { backend: 'postgres' });
