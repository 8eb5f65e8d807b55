import { isInvalidOptionsError } from '../../src/common/invalid-options.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/common/clock.js';
import {
  EmulatorOptionsError,
  EmulatorStartError,
  startPhonePeEmulator,
  type PhonePeEmulator,
} from '../../src/testing/index.js';
import { payBody, phonePeCaller } from './support/phonepe-caller.js';

const started: PhonePeEmulator[] = [];
afterEach(async () => {
  for (const emu of started.splice(0)) await emu.close();
});

describe('startPhonePeEmulator options', () => {
  it('refuses an unknown key and lists the known ones', async () => {
    const error = await startPhonePeEmulator({ prot: 0 } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmulatorOptionsError);
    expect(isInvalidOptionsError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'INVALID_OPTIONS', owner: 'startPhonePeEmulator', option: 'prot' });
    expect((error as Error).message).toBe(
      'startPhonePeEmulator options: unknown option "prot"; known options: merchants, webhook, outcome, responseShape, mandateFamilies, wrongFamilyStatus, requireReferrer, cancelCompletesAfterMs, tokenTtlSeconds, clock, refundTimeline, logger, port, host, publicUrl, maxBodyBytes.',
    );
  });

  it('names nested unknown keys with their path', async () => {
    await expect(startPhonePeEmulator({ webhook: { url: 'http://x.test/h', retries: 2 } } as never)).rejects.toThrow(
      /unknown option "webhook.retries"; known options of webhook: url, username, password, retry, timeoutMs, waitForFirstAttemptMs, fetch/,
    );
    await expect(
      startPhonePeEmulator({
        merchants: [{ clientId: 'a', clientSecret: 'b', clientVersion: 1, merchantId: 'm', secret: 1 }],
      } as never),
    ).rejects.toThrow(
      /unknown option "merchants.0.secret"; known options of merchants.0: clientId, clientSecret, clientVersion, merchantId, outcome, webhook/,
    );
  });

  it('refuses wrong types and duplicate merchants', async () => {
    await expect(startPhonePeEmulator({ outcome: 'sometimes' } as never)).rejects.toThrow(/outcome is invalid/);
    await expect(startPhonePeEmulator({ clock: { time: 1 } } as never)).rejects.toThrow(
      /clock must have a now\(\) method/,
    );
    const m = { clientId: 'a', clientSecret: 'b', clientVersion: 1, merchantId: 'm' };
    await expect(startPhonePeEmulator({ merchants: [m, { ...m, clientId: 'c' }] })).rejects.toThrow(
      /share the merchantId "m"/,
    );
  });

  it('reports a port in use as EmulatorStartError', async () => {
    const first = await startPhonePeEmulator();
    started.push(first);
    const error = await startPhonePeEmulator({ port: first.port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmulatorStartError);
    expect((error as Error).message).toMatch(/EADDRINUSE/);
  });

  it('uses publicUrl in redirect URLs', async () => {
    const emu = await startPhonePeEmulator({ publicUrl: 'https://pay.dev.example/' });
    started.push(emu);
    expect(emu.url).toBe('https://pay.dev.example');
    const direct = phonePeCaller({
      baseUrls: {
        pg: `http://127.0.0.1:${emu.port}/apis/pg-sandbox`,
        oauth: `http://127.0.0.1:${emu.port}/apis/pg-sandbox`,
      },
    });
    const { body } = await direct.post('/checkout/v2/pay', payBody());
    expect(body.redirectUrl).toMatch(/^https:\/\/pay\.dev\.example\/transact\/uat_v2\?token=/);
  });

  it('advances a shared ManualClock, and catches up when the host advances it', async () => {
    const clock = createManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const emu = await startPhonePeEmulator({ clock });
    started.push(emu);
    await emu.advanceTime(1_000);
    expect(clock.now()).toBe(Date.parse('2026-01-01T00:00:01Z'));
    const caller = phonePeCaller(emu);
    const body = payBody({ expireAfter: 300 });
    await caller.post('/checkout/v2/pay', body);
    clock.advance(300_000); // the host moves time itself
    expect((await caller.get(`/checkout/v2/order/${body.merchantOrderId}/status`)).body.state).toBe('FAILED');
  });

  it("issues tokens for 624,600 s by default, the lifetime of PhonePe's documented sample token", async () => {
    const emu = await startPhonePeEmulator({ clock: createManualClock(Date.parse('2026-01-01T00:00:00Z')) });
    started.push(emu);
    const { body } = await phonePeCaller(emu).fetchToken();
    expect(body.expires_at - body.issued_at).toBe(624_600);
  });

  it('refuses a body larger than maxBodyBytes with 413', async () => {
    const emu = await startPhonePeEmulator({ maxBodyBytes: 64 });
    started.push(emu);
    const response = await fetch(`${emu.baseUrls.pg}/checkout/v2/pay`, { method: 'POST', body: 'x'.repeat(65) });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' });
  });
});
