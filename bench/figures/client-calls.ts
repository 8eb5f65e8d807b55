import { PhonePeClient } from '../../src/client/phonepe-client.js';
import { ratePerSecond } from '../support/concurrency.js';
import type { BenchContext } from '../support/context.js';
import { size } from '../support/options.js';
import { sdkClient, StandardCheckoutPayRequest } from '../support/phonepe-sdk.js';
import { atLeast, pairedRow, type FigureResult, type FigureRow } from '../support/report.js';
import { alternate } from '../support/rounds.js';
import { startStaticPhonePeServer } from '../support/static-phonepe-server.js';

const REDIRECT = 'https://app.example.com/billing/return';

/**
 * `getOrderStatus` and `pay` calls/s at concurrency 1 and 32 against a local static server: our
 * client, raw `fetch` with the headers our client sent, and PhonePe's `pg-sdk-node`, alternating.
 */
export async function clientCalls({ options }: BenchContext): Promise<FigureResult> {
  const rounds = size(options, { quick: 2, full: 5 });
  const callsAt = (concurrency: number) =>
    concurrency === 1 ? size(options, { quick: 80, full: 1_000 }) : size(options, { quick: 300, full: 4_000 });
  const server = await startStaticPhonePeServer();
  try {
    const ours = new PhonePeClient({
      clientId: 'BENCH_CLIENT',
      clientSecret: 'bench-secret',
      clientVersion: 1,
      env: 'SANDBOX',
      baseUrls: { pg: server.baseUrl, oauth: server.baseUrl },
    });
    const sdk = sdkClient(server.baseUrl);
    // One call each first: tokens fetched, and the URL and headers our client sends recorded for the fetch anchor.
    await ours.getOrderStatus('bench_order');
    await ours.pay({
      merchantOrderId: 'bench_order_0',
      amount: 299_900,
      paymentFlow: { type: 'PG_CHECKOUT', merchantUrls: { redirectUrl: REDIRECT } },
    });
    const ourStatus = { url: server.seen.status.url, headers: { ...server.seen.status.headers } };
    const ourPay = { url: server.seen.pay.url, headers: { ...server.seen.pay.headers } };
    await sdk.getOrderStatus('bench_order');

    const payBody = (i: number) =>
      JSON.stringify({
        merchantOrderId: `bench_order_${i}`,
        amount: 299_900,
        paymentFlow: { type: 'PG_CHECKOUT', merchantUrls: { redirectUrl: REDIRECT } },
      });
    const rows: FigureRow[] = [];
    for (const call of ['getOrderStatus', 'pay'] as const) {
      for (const concurrency of [1, 32]) {
        const total = callsAt(concurrency);
        const task = {
          ours:
            call === 'getOrderStatus'
              ? () => ratePerSecond(total, concurrency, () => ours.getOrderStatus('bench_order'))
              : () =>
                  ratePerSecond(total, concurrency, (i) =>
                    ours.pay({
                      merchantOrderId: `bench_order_${i}`,
                      amount: 299_900,
                      paymentFlow: { type: 'PG_CHECKOUT', merchantUrls: { redirectUrl: REDIRECT } },
                    }),
                  ),
          fetch:
            call === 'getOrderStatus'
              ? () =>
                  ratePerSecond(total, concurrency, async () =>
                    (await fetch(`${server.origin}${ourStatus.url}`, { headers: ourStatus.headers })).json(),
                  )
              : () =>
                  ratePerSecond(total, concurrency, async (i) =>
                    (
                      await fetch(`${server.origin}${ourPay.url}`, {
                        method: 'POST',
                        headers: ourPay.headers,
                        body: payBody(i),
                      })
                    ).json(),
                  ),
          sdk:
            call === 'getOrderStatus'
              ? () => ratePerSecond(total, concurrency, () => sdk.getOrderStatus('bench_order'))
              : () =>
                  ratePerSecond(total, concurrency, (i) =>
                    sdk.pay(
                      StandardCheckoutPayRequest.builder()
                        .merchantOrderId(`bench_order_${i}`)
                        .amount(299_900)
                        .redirectUrl(REDIRECT)
                        .build(),
                    ),
                  ),
        };
        const samples = await alternate(task, rounds, { warmup: !options.quick });
        const figure = `${call} calls/s, concurrency ${concurrency}`;
        const id = `client.${call}.c${concurrency}`;
        rows.push(
          pairedRow({
            id: `${id}.fetch`,
            figure,
            unit: '/s',
            ours: samples.ours,
            anchor: samples.fetch,
            anchorName: 'raw fetch',
            goal: atLeast(0.85, '≥ 0.85× fetch'),
          }),
        );
        rows.push(
          pairedRow({
            id: `${id}.sdk`,
            figure,
            unit: '/s',
            ours: samples.ours,
            anchor: samples.sdk,
            anchorName: 'pg-sdk-node',
            goal: atLeast(1.5, '≥ 1.5× SDK'),
          }),
        );
      }
    }
    return {
      section: 'client',
      rows,
      notes: [
        `Client calls: a node:http server in this process answers PhonePe's token, pay and order-status calls with fixed bodies (a completed order with one UPI attempt). ${callsAt(1).toLocaleString('en-US')} calls per sample at concurrency 1, ${callsAt(32).toLocaleString('en-US')} at 32; ${rounds} rounds, the three variants alternating. Ours is \`PhonePeClient\` with default options; raw fetch replays the URL and headers our client sent (recorded by the server) and reads the JSON; pg-sdk-node is \`StandardCheckoutClient\` with event publishing off, pointed at the server by rewriting its host table (\`pg-sdk-node/dist/common/constants/BaseUrl\`, SANDBOX's PG and OAuth URLs) before the client is created.`,
      ],
    };
  } finally {
    await server.close();
  }
}
