/** `npm run test:reliability -- --full` sets this: the large sizes of the reliability scenarios. */
export const FULL = process.env.RELIABILITY_FULL === '1';

/** The size of a scenario: `ci` in the normal suite (and CI), `full` with `--full`. */
export function sized(ci: number, full: number): number {
  return FULL ? full : ci;
}
