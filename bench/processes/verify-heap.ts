// Heap after 1k and after `total` webhook verifications, in a process of its own (run with
// --expose-gc so each reading follows a full collection). Prints one JSON line.
import { createTestAuthorization, verifyWebhook } from '../../src/webhooks/index.js';
import { BENCH_WEBHOOK, orderCompletedBody } from '../support/webhook-bodies.js';

const total = Number(process.argv[2] ?? 100_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const authorization = await createTestAuthorization(BENCH_WEBHOOK.username, BENCH_WEBHOOK.password);
// Distinct bodies, as a real stream of webhooks would be (each its own order).
const body = (i: number) =>
  orderCompletedBody({ merchantOrderId: `ord_heap_${i}`, orderId: `OMO${i}`, amount: 299_900 });
let kept = 0;
for (let i = 0; i < 1_000; i += 1)
  kept += (await verifyWebhook({ authorization, body: body(i) }, BENCH_WEBHOOK)).event.length;
const afterSmall = heap();
for (let i = 1_000; i < total; i += 1)
  kept += (await verifyWebhook({ authorization, body: body(i) }, BENCH_WEBHOOK)).event.length;
const afterLarge = heap();
process.stdout.write(`${JSON.stringify({ afterSmall, afterLarge, kept })}\n`);
