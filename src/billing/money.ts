/** Why a rupee amount was refused (see {@link parseRupeeAmount}). */
export type RupeeAmountProblem = 'not_a_decimal' | 'too_many_decimals' | 'negative' | 'too_large';

/** The result of {@link parseRupeeAmount}: integer paise, or the reason it cannot be represented exactly. */
export type RupeeAmountResult =
  | { ok: true; paise: number }
  | { ok: false; problem: RupeeAmountProblem; message: string };

// Plain decimal: digits, optional point and up to any digits (too many decimals is reported separately).
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
// 2^53 - 1 paise ≈ ₹90 lakh crore; far beyond any order, and the limit of exact integers in a double.
const MAX_PAISE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Parses an amount in rupees as received at the HTTP edge (`"2999.00"`, `"2999.5"`, `2999`) into integer
 * paise, exactly: the digits are parsed as a decimal string with at most two places — never multiplied as
 * a float. A JSON number is read through its shortest round-trip decimal form (`String(n)`), which gives
 * back the digits the sender wrote whenever they had at most 15 significant digits; anything that is not a
 * plain decimal with ≤ 2 places (exponents, `NaN`, `0.30000000000000004`, negative, `" 1"`) is refused.
 *
 * @example
 * parseRupeeAmount('2999.00'); // { ok: true, paise: 299900 }
 * parseRupeeAmount(0.1 + 0.2); // { ok: false, problem: 'too_many_decimals', … }
 */
export function parseRupeeAmount(input: unknown): RupeeAmountResult {
  let text: string;
  if (typeof input === 'string') text = input;
  else if (typeof input === 'number' && Number.isFinite(input)) text = String(input);
  else return refuse('not_a_decimal', 'amount must be a decimal number of rupees such as "2999.00"');
  if (text.startsWith('-')) return refuse('negative', 'amount must not be negative');
  const match = DECIMAL.exec(text);
  if (!match)
    return refuse(
      'not_a_decimal',
      `amount "${truncate(text)}" is not a plain decimal number of rupees such as "2999.00"`,
    );
  const rupees = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (fraction.length > 2) {
    return refuse(
      'too_many_decimals',
      `amount "${truncate(text)}" has more than 2 decimal places; rupee amounts are exact to the paisa`,
    );
  }
  const paise = BigInt(rupees) * 100n + BigInt(fraction.padEnd(2, '0'));
  if (paise > MAX_PAISE) return refuse('too_large', `amount "${truncate(text)}" is too large`);
  return { ok: true, paise: Number(paise) };
}

function refuse(problem: RupeeAmountProblem, message: string): RupeeAmountResult {
  return { ok: false, problem, message };
}

function truncate(text: string): string {
  return text.length > 32 ? `${text.slice(0, 32)}…` : text;
}

/**
 * Formats integer paise as a rupee decimal string with exactly two places, by integer arithmetic.
 *
 * @example
 * formatPaise(299900); // "2999.00"
 * formatPaise(5);      // "0.05"
 */
export function formatPaise(paise: number): string {
  if (!Number.isSafeInteger(paise)) throw new RangeError(`formatPaise needs an integer number of paise, got ${paise}`);
  const sign = paise < 0 ? '-' : '';
  const abs = Math.abs(paise);
  const rupees = Math.trunc(abs / 100);
  const rest = abs % 100;
  return `${sign}${rupees}.${rest.toString().padStart(2, '0')}`;
}

/**
 * Formats integer paise for people, in Indian digit grouping: `₹2,999.00`, `₹1,00,000.00`.
 *
 * @example
 * formatRupeesForDisplay(10000000); // "₹1,00,000.00"
 */
export function formatRupeesForDisplay(paise: number): string {
  const [whole = '0', fraction = '00'] = formatPaise(paise).replace('-', '').split('.');
  const lastThree = whole.slice(-3);
  const rest = whole.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',');
  const grouped = rest ? `${rest},${lastThree}` : lastThree;
  return `${paise < 0 ? '-' : ''}₹${grouped}.${fraction}`;
}

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
