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
