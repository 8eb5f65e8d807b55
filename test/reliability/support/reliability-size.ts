// How big the reliability tests run: CI sizes by default, the large ones with RELIABILITY_FULL=1.
export const FULL = process.env.RELIABILITY_FULL === '1';
export function sized(ci: number, full: number): number { return FULL ? full : ci; }
