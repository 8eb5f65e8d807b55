import { z } from 'zod';
import { createEmulatorControls } from '../../src/testing/controls/create-emulator-controls.js';
import { createCheckoutOrder } from '../../src/testing/core/orders.js';
import { createEmulatorCore } from '../../src/testing/core/emulator-core.js';
import { coreOptionsShape, parseOptions, toCoreConfig } from '../../src/testing/emulator-options.js';
import { createEmulatorHandler } from '../../src/testing/http/create-emulator-handler.js';
import { defaultEmulatorMerchant } from '../../src/testing/index.js';

const ORIGIN = 'http://emulator.bench';
const PG = `${ORIGIN}/apis/pg-sandbox`;

/** The emulator's web-standard handler with `orders` paid checkout orders already stored, and a token to call it with. */
export interface SeededEmulator {
  /** One order-status call through the emulator's handler (no socket: the emulator's own cost). */
  statusCall(): Promise<void>;
}

/**
 * Builds the emulator from its parts (the same core and handler `startPhonePeEmulator` serves) so that
 * `orders` orders can be stored directly: creating 10,000 over HTTP would itself take minutes while a
 * request costs O(stored orders).
 */
export async function seededEmulator(orders: number): Promise<SeededEmulator> {
  const core = createEmulatorCore(
    toCoreConfig(parseOptions(z.strictObject(coreOptionsShape), { outcome: 'success' }, 'bench emulator')),
  );
  const handler = createEmulatorHandler(
    core,
    createEmulatorControls(core, () => ORIGIN),
  );
  const merchant = core.config.merchants[0]!;
  for (let i = 0; i < orders; i += 1) {
    createCheckoutOrder(core, merchant, {
      merchantOrderId: `bench_seed_${i}`,
      amount: 10_000 + i,
      paymentFlow: { type: 'PG_CHECKOUT', merchantUrls: { redirectUrl: 'https://app.example.com/return' } },
    });
  }
  const form = new URLSearchParams({
    client_id: defaultEmulatorMerchant.clientId,
    client_secret: defaultEmulatorMerchant.clientSecret,
    client_version: String(defaultEmulatorMerchant.clientVersion),
    grant_type: 'client_credentials',
  });
  const tokenResponse = await handler(
    new Request(`${PG}/v1/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    }),
  );
  const token = (await tokenResponse.json()) as { access_token: string };
  const authorization = `O-Bearer ${token.access_token}`;
  const target = `${PG}/checkout/v2/order/bench_seed_${Math.floor(orders / 2)}/status`;
  return {
    async statusCall() {
      const response = await handler(new Request(target, { headers: { authorization } }));
      if (response.status !== 200)
        throw new Error(`emulator status call answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
    },
  };
}
