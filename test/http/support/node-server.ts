import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { incomingMessageToRequest, isPayloadTooLargeError, sendWebResponse } from '../../../src/node-http/index.js';
import { billingErrorResponse, type BillingHandler } from '../../../src/http/index.js';
import { payloadTooLargeError } from '../../../src/http/request.js';

/** The bare handler on node:http through the shared node-http helpers, listening on a free port. */
export async function serveOnNodeHttp(handler: BillingHandler): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    let response: Response;
    try {
      response = await handler(await incomingMessageToRequest(req, res, { maxBodyBytes: handler.maxBodyBytes }));
    } catch (error) {
      response = billingErrorResponse(
        isPayloadTooLargeError(error) ? payloadTooLargeError(handler.maxBodyBytes) : error,
      );
    }
    await sendWebResponse(res, response, { method: req.method });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
