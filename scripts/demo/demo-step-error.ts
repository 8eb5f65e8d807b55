/** A demo step did not see what it expected; `step` names it and the message says what happened. */
export class DemoStepError extends Error {
  override readonly name = 'DemoStepError';
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(message);
  }
}

/** Throws a {@link DemoStepError} for `step` unless `condition` holds. */
export function expectStep(step: string, condition: unknown, message: () => string): asserts condition {
  if (!condition) throw new DemoStepError(step, message());
}

/** `HTTP 404 SUBSCRIPTION_NOT_FOUND: …` from an error body, or the status alone. */
export function describeAnswer(answer: { status: number; json: any; text: string }): string {
  const error = answer.json?.error;
  return error
    ? `HTTP ${answer.status} ${error.code}: ${error.message}`
    : `HTTP ${answer.status} ${answer.text.slice(0, 200)}`;
}
