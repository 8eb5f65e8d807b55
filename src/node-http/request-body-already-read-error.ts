/**
 * The request stream was already consumed by something else (typically a body-parser
 * middleware such as `express.json()`), so the raw bytes are gone. Pass them in `options.body`
 * instead, or mount the handler before the parser.
 *
 * @example
 * app.post('/webhook', express.raw({ type: '*\/*' }), async (req, res) => {
 *   const request = await incomingMessageToRequest(req, res, { body: req.body });
 * });
 */
export class RequestBodyAlreadyReadError extends Error {
  override readonly name = 'RequestBodyAlreadyReadError' as const;
  readonly code = 'REQUEST_BODY_ALREADY_READ' as const;
  constructor(method: string, url: string) {
    super(
      `The body of ${method} ${url} was already read by another middleware; pass the raw bytes as options.body or mount this handler before any body parser.`,
    );
  }
}

/** True when `error` is a {@link RequestBodyAlreadyReadError}. */
export function isRequestBodyAlreadyReadError(error: unknown): error is RequestBodyAlreadyReadError {
  return error instanceof RequestBodyAlreadyReadError;
}
