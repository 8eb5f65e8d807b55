import { stateChanged, type EmulatorCore } from '../core/emulator-core.js';
import { clearEmulatorState } from '../core/emulator-state.js';
import { hostedPageUrl } from '../core/order-factory.js';
import { PhonePeEmulatorError } from '../core/phonepe-emulator-error.js';
import type { EmulatorOutcome, OrderRecord } from '../core/records.js';
import { sweep } from '../core/sweep.js';
import { parseOptions } from '../emulator-options.js';
import { CHECKOUT_SCRIPT_PATH } from '../http/routes/paths.js';
import { createAct } from './act.js';
import type { MerchantScope, PhonePeEmulatorControls } from './emulator-controls.js';
import { faultSpecSchema } from './fault-spec-schema.js';
import {
  completeOrderControl,
  failAttemptControl,
  failOrderControl,
  findOrder,
  orderSnapshot,
} from './order-controls.js';
import { emulatorStateSnapshot } from './state-snapshot.js';
import { createCustomerControls, createRefundControls } from './subscription-and-refund-controls.js';
import { createWebhookControls } from './webhook-controls.js';

/** Builds the control surface over a core; `url()` is read lazily (the port is known after listen). */
export function createEmulatorControls(core: EmulatorCore, url: () => string): PhonePeEmulatorControls {
  const act = createAct(core);
  const onOrder = (id: string, scope: MerchantScope, change: (order: OrderRecord) => void) =>
    act(() => {
      const order = findOrder(core, id, scope);
      change(order);
      return orderSnapshot(core, order);
    });
  return {
    get url() {
      return url();
    },
    get baseUrls() {
      return { pg: `${url()}/apis/pg-sandbox`, oauth: `${url()}/apis/pg-sandbox` };
    },
    get checkoutScriptUrl() {
      return `${url()}${CHECKOUT_SCRIPT_PATH}`;
    },
    now: () => core.clock.now(),
    advanceTime: (ms) =>
      act(() => {
        core.clock.advance(ms);
        sweep(core);
        return core.clock.now();
      }),
    sweep: () => act(() => sweep(core)),
    setOutcome: (outcome, options = {}) => setOutcome(core, outcome, options.merchantId),
    completeOrder: (id, options = {}) =>
      onOrder(id, options, (o) => completeOrderControl(core, o, options.paymentMode)),
    failOrder: (id, options = {}) =>
      onOrder(id, options, (o) => failOrderControl(core, o, options.errorCode, options.detailedErrorCode)),
    failAttempt: (id, options = {}) => onOrder(id, options, (o) => failAttemptControl(core, o, options)),
    getOrder: (id, options = {}) => orderSnapshot(core, findOrder(core, id, options)),
    hostedPageUrl: (id, options = {}) => hostedPageUrl(core, findOrder(core, id, options)),
    ...createRefundControls(core, act),
    customer: createCustomerControls(core, act),
    faults: {
      add: (fault) => core.faults.add(parseOptions(faultSpecSchema, fault, 'emu.faults.add')),
      remove: (id) => core.faults.remove(id),
      clear: () => core.faults.clear(),
      list: () => core.faults.list(),
    },
    webhooks: createWebhookControls(core),
    state: () => emulatorStateSnapshot(core),
    reset() {
      clearEmulatorState(core.state);
      stateChanged(core);
      core.webhooks.clear();
      core.faults.clear();
    },
  };
}

function setOutcome(core: EmulatorCore, outcome: EmulatorOutcome, merchantId?: string): void {
  if (!merchantId) {
    core.config.outcome = outcome;
    return;
  }
  const merchant = core.config.merchants.find((m) => m.merchantId === merchantId);
  if (!merchant)
    throw new PhonePeEmulatorError(
      404,
      'NOT_FOUND',
      `No merchant "${merchantId}" is configured in the emulator; see emu.state().merchants.`,
    );
  merchant.outcome = outcome;
}
