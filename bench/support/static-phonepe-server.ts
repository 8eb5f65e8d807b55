import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The path prefix PhonePe's sandbox uses; clients are pointed at `${origin}${PG_PREFIX}`. */
export const PG_PREFIX = '/apis/pg-sandbox';

const now = () => Date.now();

/** PhonePe's OAuth answer (epoch seconds), valid for an hour so nobody refreshes during a run. */
function tokenBody(): string {
  const issued = Math.floor(now() / 1000);
  return JSON.stringify({
    access_token: 'bench-access-token',
    encrypted_access_token: 'bench-access-token',
    expires_in: 3600,
    issued_at: issued,
    expires_at: issued + 3600,
    session_expires_at: issued + 3600,
    token_type: 'O-Bearer',
  });
}

/** A checkout `/pay` answer, as the sandbox sends it. */
const PAY_BODY = JSON.stringify({
  orderId: 'OMO2601011200000000000001',
  state: 'PENDING',
  expireAt: 1_900_000_000_000,
  redirectUrl: 'https://mercury-uat.phonepe.com/transact/uat_v2?token=bench',
});

/** A completed order's status with one UPI attempt, as the sandbox sends it. */
const STATUS_BODY = JSON.stringify({
  merchantId: 'BENCHMERCHANT',
  merchantOrderId: 'bench_order',
  orderId: 'OMO2601011200000000000001',
  state: 'COMPLETED',
  amount: 299_900,
  expireAt: 1_900_000_000_000,
  metaInfo: { udf1: 'bench' },
  paymentDetails: [
    {
      paymentMode: 'UPI_QR',
      transactionId: 'OM2601011200000000000001',
      timestamp: 1_767_225_600_000,
      amount: 299_900,
      state: 'COMPLETED',
      splitInstruments: [
        {
          amount: 299_900,
          rail: { type: 'UPI', utr: '123456789012', upiTransactionId: 'YBL0123456789', vpa: 'payer@ybl' },
          instrument: { type: 'ACCOUNT', maskedAccountNumber: 'XXXX1234', accountType: 'SAVINGS' },
        },
      ],
    },
  ],
});

/** What the static server saw of one kind of request: the headers of the last one, and how many. */
export interface SeenRequests {
  count: number;
  /** Path and query of the last one. */
  url: string;
  headers: Record<string, string>;
}

/** A node:http server that answers PhonePe's token, pay and order-status calls with fixed bodies. */
export interface StaticPhonePeServer {
  origin: string;
  /** `${origin}/apis/pg-sandbox`: the base URL for pg and oauth alike. */
  baseUrl: string;
  seen: Record<'token' | 'pay' | 'status' | 'other', SeenRequests>;
  close(): Promise<void>;
}

/**
 * Starts a server that does no work beyond reading the request and writing a canned body, so the
 * client figures measure the clients, not the server. Keep-alive stays on (both clients reuse sockets).
 */
export async function startStaticPhonePeServer(): Promise<StaticPhonePeServer> {
  const seen: StaticPhonePeServer['seen'] = { token: blank(), pay: blank(), status: blank(), other: blank() };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] as string;
      const kind = path.endsWith('/v1/oauth/token')
        ? 'token'
        : path.endsWith('/checkout/v2/pay')
          ? 'pay'
          : /\/checkout\/v2\/order\/[^/]+\/status$/.test(path)
            ? 'status'
            : 'other';
      record(seen[kind], req.url ?? '', req.headers);
      const body =
        kind === 'token'
          ? tokenBody()
          : kind === 'pay'
            ? PAY_BODY
            : kind === 'status'
              ? STATUS_BODY
              : JSON.stringify({ code: 'NOT_FOUND', message: 'not canned' });
      res.writeHead(kind === 'other' ? 404 : 200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    baseUrl: `${origin}${PG_PREFIX}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function blank(): SeenRequests {
  return { count: 0, url: '', headers: {} };
}

// Headers the HTTP stack sets for itself: never replayed by hand.
const TRANSPORT_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

function record(target: SeenRequests, url: string, headers: http.IncomingHttpHeaders): void {
  target.count += 1;
  target.url = url;
  target.headers = Object.fromEntries(
    Object.entries(headers).filter(([name, value]) => !TRANSPORT_HEADERS.has(name) && typeof value === 'string'),
  ) as Record<string, string>;
}
