// Shared Node helpers: IncomingMessage -> web Request, web Response -> ServerResponse.
// Used by the emulator's server and by the Express and Fastify adapters.
export { incomingMessageToRequest, DEFAULT_MAX_BODY_BYTES } from './incoming-message-to-request.js';
export type { IncomingMessageToRequestOptions } from './incoming-message-to-request.js';
export { sendWebResponse } from './send-web-response.js';
export type { SendWebResponseOptions } from './send-web-response.js';
export { PayloadTooLargeError, isPayloadTooLargeError } from './payload-too-large-error.js';
export { RequestBodyAlreadyReadError, isRequestBodyAlreadyReadError } from './request-body-already-read-error.js';
