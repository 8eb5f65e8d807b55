import { describe, expect, it } from 'vitest';
import { isInvalidOptionsError } from '../../../src/common/invalid-options.js';
import { EmulatorStartError, startRazorpayEmulator } from '../../../src/testing/index.js';

describe('startRazorpayEmulator options', () => {
  it('refuses unknown keys and bad values with InvalidOptionsError naming the option', async () => {
    for (const [options, option] of [
      [{ prot: 0 }, 'prot'],
      [{ keyId: 'key_1' }, 'keyId'],
      [{ keySecret: 'short' }, 'keySecret'],
      [{ recurringDebits: 'later' }, 'recurringDebits'],
      [{ refundProcessAfterMs: -1 }, 'refundProcessAfterMs'],
      [{ webhook: { url: 'not a url' } }, 'webhook.url'],
    ] as const) {
      const error = await startRazorpayEmulator(options as never).catch((e: unknown) => e);
      expect(isInvalidOptionsError(error)).toBe(true);
      expect((error as { option: string }).option).toBe(option);
    }
  });

  it('takes its own credentials and reports its URLs', async () => {
    const emu = await startRazorpayEmulator({
      keyId: 'rzp_test_Custom',
      keySecret: 'customSecret1',
      webhookSecret: 'customHooks1',
    });
    try {
      expect(emu.credentials).toEqual({
        keyId: 'rzp_test_Custom',
        keySecret: 'customSecret1',
        webhookSecret: 'customHooks1',
      });
      expect(emu.baseUrl).toBe(`${emu.url}/v1`);
      expect(emu.checkoutScriptUrl).toBe(`${emu.url}/v1/checkout.js`);
      const script = await fetch(emu.checkoutScriptUrl);
      expect(script.headers.get('content-type')).toContain('javascript');
      expect(await script.text()).toContain('window.Razorpay');
    } finally {
      await emu.close();
    }
  });

  it('a taken port is an EmulatorStartError', async () => {
    const first = await startRazorpayEmulator();
    try {
      const error = await startRazorpayEmulator({ port: first.port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EmulatorStartError);
      expect((error as Error).message).toContain('Razorpay emulator could not listen');
    } finally {
      await first.close();
    }
  });
});
