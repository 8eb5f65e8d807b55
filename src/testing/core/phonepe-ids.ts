import { randomBytes, randomInt } from 'node:crypto';
import type { Clock } from '../../common/clock.js';

/** Makes PhonePe-looking ids: `OMO…` orders, `OM…` transactions, `OMR…` refunds, `OMS…` subscriptions. */
export interface PhonePeIds {
  orderId(): string;
  transactionId(): string;
  refundId(): string;
  subscriptionId(): string;
  utr(): string;
  /** URL-safe random token (hosted page, access tokens). */
  opaque(bytes?: number): string;
}

export function createPhonePeIds(clock: Clock): PhonePeIds {
  let sequence = 0;
  // yyMMddHHmmss from the virtual clock, then a sequence and random digits: unique and sortable.
  const stamp = () => new Date(clock.now()).toISOString().replace(/\D/g, '').slice(2, 14);
  const next = (prefix: string) => {
    sequence += 1;
    return `${prefix}${stamp()}${String(sequence).padStart(5, '0')}${String(randomInt(100_000, 1_000_000))}`;
  };
  return {
    orderId: () => next('OMO'),
    transactionId: () => next('OM'),
    refundId: () => next('OMR'),
    subscriptionId: () => next('OMS'),
    utr: () => String(randomInt(100_000, 1_000_000)) + String(randomInt(100_000, 1_000_000)),
    opaque: (bytes = 24) => randomBytes(bytes).toString('base64url'),
  };
}
