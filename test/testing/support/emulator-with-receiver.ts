import { createManualClock } from '../../../src/common/clock.js';
import { startPhonePeEmulator, type PhonePeEmulator, type PhonePeEmulatorOptions } from '../../../src/testing/index.js';
import { phonePeCaller } from './phonepe-caller.js';
import { startWebhookReceiver } from './webhook-receiver.js';

/** The usual emulator test set-up: a webhook receiver, an emulator on a manual clock posting to it, a caller. */
export interface EmulatorWithReceiver {
  emu: PhonePeEmulator;
  receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  caller: ReturnType<typeof phonePeCaller>;
  close(): Promise<void>;
}

/** Starts it at `startMs` on a manual clock; `options` are added to the emulator's. */
export async function startEmulatorWithReceiver(
  startMs: number,
  options: PhonePeEmulatorOptions = {},
): Promise<EmulatorWithReceiver> {
  const receiver = await startWebhookReceiver();
  const emu = await startPhonePeEmulator({
    clock: createManualClock(startMs),
    webhook: { url: receiver.url },
    ...options,
  });
  return {
    emu,
    receiver,
    caller: phonePeCaller(emu),
    async close() {
      await emu.close();
      await receiver.close();
    },
  };
}
