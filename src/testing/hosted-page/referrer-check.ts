import type { EmulatorCoreConfig } from '../core/emulator-core.js';

/**
 * Whether a PayPage load with this `Referer` is let through under `requireReferrer`. PhonePe blocks
 * a PayPage opened without a referrer from the merchant's site — a new tab or window, an e-mail
 * link, a `no-referrer` policy (docs/phonepe-protocol.md#paypage). A same-tab navigation or an
 * iframe from the merchant's page carries the origin under the default referrer policy and passes.
 */
export function referrerAllowed(rule: EmulatorCoreConfig['requireReferrer'], referer: string | null): boolean {
  if (rule === false) return true;
  if (!referer) return false;
  if (rule === 'any') return true;
  return URL.canParse(referer) && rule.includes(new URL(referer).origin);
}
