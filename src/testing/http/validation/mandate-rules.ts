import { badRequest } from '../../core/phonepe-emulator-error.js';
import type { MandateInput } from '../../core/mandate-input.js';
import { PENNY_DROP_AMOUNT_PAISE } from '../../core/protocol-defaults.js';

/**
 * Rules across fields of a mandate setup (docs/phonepe-protocol.md#limits): a `PENNY_DROP` verification is exactly ₹2
 * (docs/phonepe-protocol.md#unsettled-penny-drop); a
 * `TRANSACTION` first debit fits within `maxAmount`; the mandate and order end in the future.
 */
export function assertMandateRules(amount: number, mandate: MandateInput, now: number, orderExpireAt?: number): void {
  if (mandate.authWorkflowType === 'PENNY_DROP' && amount !== PENNY_DROP_AMOUNT_PAISE) {
    throw badRequest(
      `amount must be exactly ${PENNY_DROP_AMOUNT_PAISE} paise for a PENNY_DROP mandate (got ${amount})`,
    );
  }
  if (mandate.authWorkflowType === 'TRANSACTION' && amount > mandate.maxAmount) {
    throw badRequest(`amount (${amount}) must not exceed maxAmount (${mandate.maxAmount}) for a TRANSACTION mandate`);
  }
  if (mandate.expireAt !== undefined && mandate.expireAt <= now)
    throw badRequest('the subscription expireAt must be in the future (epoch milliseconds)');
  if (orderExpireAt !== undefined && orderExpireAt <= now)
    throw badRequest('expireAt must be in the future (epoch milliseconds)');
}
