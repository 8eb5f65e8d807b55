/**
 * Where the library reads the time. Everything that depends on "now" (token expiry, order
 * expiry, renewals, the 24 h pre-debit rule) takes a `Clock`, so tests and the emulator can move
 * time forward without sleeping.
 *
 * @example
 * const clock: Clock = { now: () => Date.parse('2026-01-01T00:00:00Z') };
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The real clock (`Date.now()`). */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that only moves when told to. Handy in tests.
 *
 * @example
 * const clock = createManualClock(Date.parse('2026-01-01T00:00:00Z'));
 * clock.advance(24 * 60 * 60 * 1000);
 */
export interface ManualClock extends Clock {
  /** Moves the clock forward by `ms` (must be >= 0). */
  advance(ms: number): void;
  /** Sets the clock to an absolute epoch-ms value (never backwards). */
  set(epochMs: number): void;
}

/** Creates a {@link ManualClock} starting at `startMs` (default: the real time now). */
export function createManualClock(startMs: number = Date.now()): ManualClock {
  let current = startMs;
  return {
    now: () => current,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`clock.advance(ms) needs a finite ms >= 0, got ${ms}`);
      current += ms;
    },
    set(epochMs) {
      if (!Number.isFinite(epochMs) || epochMs < current) {
        throw new RangeError(`clock.set(epochMs) cannot move time backwards (now ${current}, asked ${epochMs})`);
      }
      current = epochMs;
    },
  };
}
