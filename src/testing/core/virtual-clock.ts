import type { Clock } from '../../common/clock.js';

/** The emulator's clock: the given clock (or real time) plus whatever `advance` added. */
export interface VirtualClock extends Clock {
  advance(ms: number): void;
}

function isAdvanceable(clock: Clock): clock is Clock & { advance(ms: number): void } {
  return typeof (clock as { advance?: unknown }).advance === 'function';
}

/**
 * Wraps `base`. A `ManualClock` (anything with `advance`) is advanced itself, so a host test that
 * shares one manual clock with its billing layer sees the same time as the emulator; any other
 * clock (and the default, real time) gets an offset that `advance` grows.
 */
export function createVirtualClock(base?: Clock): VirtualClock {
  if (base && isAdvanceable(base)) {
    return { now: () => base.now(), advance: (ms) => base.advance(ms) };
  }
  const source = base ?? { now: () => Date.now() };
  let offset = 0;
  return {
    now: () => source.now() + offset,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advanceTime(ms) needs a finite ms >= 0, got ${ms}`);
      offset += ms;
    },
  };
}
