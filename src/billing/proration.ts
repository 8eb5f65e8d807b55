/** Inputs of {@link prorateUpgrade}. All money in integer paise, times in epoch ms. */
export interface ProrationInput {
  currentPricePaise: number;
  newPricePaise: number;
  periodStart: number;
  periodEnd: number;
  now: number;
}

/**
 * What an upgrade costs for the rest of the current period: the price difference times the unused
 * share of the period, `(new − current) × remaining / length`, in integer arithmetic (BigInt) and
 * rounded half up to the paisa. Zero when the new plan is not dearer or the period is over.
 *
 * @example
 * // ₹999 → ₹2,999 halfway through a period: ₹1,000.00
 * prorateUpgrade({ currentPricePaise: 99900, newPricePaise: 299900, periodStart: 0, periodEnd: 100, now: 50 }); // 100000
 */
export function prorateUpgrade(input: ProrationInput): number {
  for (const [name, value] of Object.entries(input)) {
    if (!Number.isSafeInteger(value)) throw new RangeError(`prorateUpgrade: ${name} must be an integer, got ${value}`);
  }
  const difference = BigInt(input.newPricePaise - input.currentPricePaise);
  const length = BigInt(input.periodEnd - input.periodStart);
  const remaining = BigInt(Math.min(Math.max(input.periodEnd - input.now, 0), input.periodEnd - input.periodStart));
  if (difference <= 0n || length <= 0n || remaining === 0n) return 0;
  const numerator = difference * remaining;
  return Number((numerator * 2n + length) / (2n * length));
}
