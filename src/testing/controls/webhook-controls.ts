import type { EmulatorCore } from '../core/emulator-core.js';
import { PhonePeEmulatorError } from '../core/phonepe-emulator-error.js';
import type { EmulatorWebhookControls } from './emulator-controls.js';

export function createWebhookControls(core: EmulatorCore): EmulatorWebhookControls {
  const webhooks = core.webhooks;
  return {
    get deliveries() {
      return webhooks.deliveries();
    },
    duplicateNext: (count = 1) => webhooks.duplicateNext(count),
    hold: () => webhooks.hold(),
    release: (order = 'original') => webhooks.release(order),
    async resend(deliveryId) {
      const copy = await webhooks.resend(deliveryId);
      if (!copy)
        throw new PhonePeEmulatorError(
          404,
          'NOT_FOUND',
          `No webhook delivery "${deliveryId}"; see emu.webhooks.deliveries for the ids.`,
        );
      return copy;
    },
    idle: () => webhooks.idle(),
    clear: () => webhooks.clear(),
  };
}
