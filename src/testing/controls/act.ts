import { stateChanged, type EmulatorCore } from '../core/emulator-core.js';

/** Runs a state change, then waits (bounded by `waitForFirstAttemptMs`) for the first attempts of the webhooks it caused. */
export type Act = <T>(change: () => T) => Promise<T>;

export function createAct(core: EmulatorCore): Act {
  return async (change) => {
    const mark = core.webhooks.mark();
    stateChanged(core);
    const result = change();
    stateChanged(core);
    await core.webhooks.settleSince(mark, core.config.waitForFirstAttemptMs);
    return result;
  };
}
