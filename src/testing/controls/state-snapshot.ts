import type { EmulatorStateSnapshot } from './emulator-controls.js';
import type { EmulatorCore } from '../core/emulator-core.js';
import { refundView } from '../core/refund-view.js';
import { findOrderForRefund } from '../core/refund-lookup.js';
import { subscriptionView } from '../core/subscription-view.js';
import { orderSnapshot } from './order-controls.js';

/** Everything the emulator holds, for `emu.state()` and `GET /__emulator/state`. Client secrets are left out. */
export function emulatorStateSnapshot(core: EmulatorCore): EmulatorStateSnapshot {
  return {
    now: core.clock.now(),
    outcome: core.config.outcome,
    merchants: core.config.merchants.map((m) => ({
      merchantId: m.merchantId,
      clientId: m.clientId,
      clientVersion: m.clientVersion,
      outcome: m.outcome ?? core.config.outcome,
      webhookUrl: m.webhook?.url ?? core.config.webhook?.url ?? null,
    })),
    orders: [...core.state.orders.values()].map((o) => orderSnapshot(core, o)),
    // The documented views always carry these ids and states (the records require them).
    subscriptions: [...core.state.subscriptions.values()].map(
      (s) => subscriptionView(s, 'documented', true) as EmulatorStateSnapshot['subscriptions'][number],
    ),
    refunds: [...core.state.refunds.values()].map(
      (r) =>
        refundView(r, findOrderForRefund(core, r), { shape: 'documented' }) as EmulatorStateSnapshot['refunds'][number],
    ),
    webhooks: core.webhooks.deliveries(),
    faults: core.faults.list().map((f) => ({ ...f, path: String(f.path) })),
  };
}
