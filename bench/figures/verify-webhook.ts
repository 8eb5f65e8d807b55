import { performance } from 'node:perf_hooks';
import { createTestAuthorization, createWebhookVerifier, verifyWebhook } from '../../src/webhooks/index.js';
import type { BenchContext } from '../support/context.js';
import { size } from '../support/options.js';
import { sdkValidateCallback } from '../support/phonepe-sdk.js';
import { atLeast, pairedRow, type FigureResult } from '../support/report.js';
import { alternate } from '../support/rounds.js';
import { BENCH_WEBHOOK, orderCompletedBody } from '../support/webhook-bodies.js';

/** Runs `op` n times one after another; ops per second. */
async function opsPerSecond(n: number, op: () => unknown): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i += 1) await op();
  return (n * 1000) / (performance.now() - started);
}

/** `verifyWebhook` and the precomputed verifier vs the SDK's `validateCallback`, on the same raw body. */
export async function verifyWebhookFigure({ options }: BenchContext): Promise<FigureResult> {
  const rounds = size(options, { quick: 2, full: 7 });
  const n = size(options, { quick: 3_000, full: 50_000 });
  const body = orderCompletedBody({
    merchantOrderId: 'ord_bench_1',
    orderId: 'OMO2601011200000000000001',
    amount: 299_900,
  });
  const authorization = await createTestAuthorization(BENCH_WEBHOOK.username, BENCH_WEBHOOK.password);
  const verifier = createWebhookVerifier(BENCH_WEBHOOK);
  const validateCallback = sdkValidateCallback();
  const samples = await alternate(
    {
      ours: () => opsPerSecond(n, () => verifyWebhook({ authorization, body }, BENCH_WEBHOOK)),
      precomputed: () => opsPerSecond(n, () => verifier.verify({ authorization, body })),
      sdk: () =>
        opsPerSecond(n, () => validateCallback(BENCH_WEBHOOK.username, BENCH_WEBHOOK.password, authorization, body)),
    },
    rounds,
    { warmup: !options.quick },
  );
  return {
    section: 'verify',
    rows: [
      pairedRow({
        id: 'verify.verifyWebhook',
        figure: 'verifyWebhook ops/s',
        unit: '/s',
        ours: samples.ours,
        anchor: samples.sdk,
        anchorName: 'validateCallback',
        goal: atLeast(3, '≥ 3× SDK'),
      }),
      pairedRow({
        id: 'verify.precomputed',
        figure: 'createWebhookVerifier().verify ops/s',
        unit: '/s',
        ours: samples.precomputed,
        anchor: samples.sdk,
        anchorName: 'validateCallback',
        goal: atLeast(3, '≥ 3× SDK'),
      }),
    ],
    notes: [
      `verifyWebhook: ${n.toLocaleString('en-US')} verifications per sample of one ${body.length}-byte \`checkout.order.completed\` body with the right Authorization, awaited one after another; ${rounds} rounds. "Precomputed" is \`createWebhookVerifier(credentials).verify\` (the expected header computed once). The SDK's \`validateCallback(username, password, authorization, body)\` hashes the credentials and runs class-transformer on every call.`,
    ],
  };
}
