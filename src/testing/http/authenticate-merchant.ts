import type { EmulatorCore } from '../core/emulator-core.js';
import { unauthorized } from '../core/phonepe-emulator-error.js';
import type { MerchantRecord } from '../core/records.js';

/**
 * The merchant behind `Authorization: O-Bearer <access_token>` (docs/phonepe-protocol.md#oauth). A missing, unknown or
 * expired (virtual clock) token is PhonePe's gateway 401 `PR004`.
 */
export function authenticateMerchant(core: EmulatorCore, request: Request): MerchantRecord {
  const header = request.headers.get('authorization') ?? '';
  const match = /^O-Bearer (\S+)$/.exec(header.trim());
  const token = match ? core.state.tokens.get(match[1]!) : undefined;
  if (!token || token.expiresAt <= core.clock.now()) throw unauthorized();
  const merchant = core.config.merchants.find((m) => m.merchantId === token.merchantId);
  if (!merchant) throw unauthorized();
  return merchant;
}
