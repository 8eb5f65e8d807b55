/**
 * Integer paise as rupees with Indian digit grouping, by integer arithmetic (no floats):
 * `299900` → `₹2,999.00`, `12345678` → `₹1,23,456.78`.
 *
 * @example
 * formatRupees(299900); // "₹2,999.00"
 */
export function formatRupees(paise: number): string {
  if (!Number.isSafeInteger(paise) || paise < 0)
    throw new RangeError(`formatRupees needs a non-negative integer of paise, got ${paise}`);
  const whole = String(Math.trunc(paise / 100));
  const fraction = String(paise % 100).padStart(2, '0');
  const lastThree = whole.slice(-3);
  const rest = whole.slice(0, -3).replace(/\B(?=(\d{2})+$)/g, ',');
  return `₹${rest ? `${rest},${lastThree}` : lastThree}.${fraction}`;
}
