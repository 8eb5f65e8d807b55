/**
 * A request body bigger than the configured limit. The body was not read to the end, so answer
 * 413 with `Connection: close` (the rest of the body is still on the socket).
 *
 * @example
 * try { request = await incomingMessageToRequest(req, res, { maxBodyBytes: 65_536 }); }
 * catch (error) { if (isPayloadTooLargeError(error)) { res.writeHead(413, { connection: 'close' }).end(); } }
 */
export class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError' as const;
  readonly code = 'PAYLOAD_TOO_LARGE' as const;
  constructor(
    readonly limitBytes: number,
    method: string,
    url: string,
  ) {
    super(
      `The body of ${method} ${url} is larger than the ${limitBytes}-byte limit; send a smaller body or raise maxBodyBytes.`,
    );
  }
}

/** True when `error` is a {@link PayloadTooLargeError}. */
export function isPayloadTooLargeError(error: unknown): error is PayloadTooLargeError {
  return error instanceof PayloadTooLargeError;
}
