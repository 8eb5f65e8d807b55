/**
 * What a CPU profile showed as the main cost of a figure that missed its goal, keyed by row id (or
 * its prefix: `client.pay` covers `client.pay.c1.fetch`, …). BENCHMARKS.md prints the note of every
 * row that missed its goal in that run, so a note disappears by itself once the goal is met. Update a
 * note when a new profile says otherwise. How to profile: see "Profiling" in BENCHMARKS.md.
 */
export const PROFILE_NOTES: Record<string, string> = {
  'client.getOrderStatus':
    "Profile of 8,000 calls at concurrency 32 (client only, same static server): about half the CPU is undici's fetch and the local server; of ours, ky is the largest part — its `Ky` constructor builds a `Request`, deep-merges options and headers and creates an `AbortSignal` timeout on every call, and the request is cloned — then zod's `safeParse` of the response (~1.7 % of samples) and src/client itself (~1.3 %). Raw fetch does none of the per-call construction.",
  'client.pay':
    "Same as getOrderStatus plus the body: ky builds a `Request` with the JSON body and clones it on every call, which tees the body into two ReadableStreams (`makeTransferable`, `cloneAsUint8Array`, `createReadableStreamState` in the profile) and raises GC to ~7 % of samples; ky's own retries are off (the client decides retries itself), so the clone buys nothing. axios (pg-sdk-node) writes the string body straight to the socket.",
  verify:
    "Profile of 200,000 verifications of the same body: zod's `safeParse` of the payload is ~40 % of `verify`'s inclusive time, `parseWebhookEvent`'s own frame (JSON.parse inlined) ~40 %, and `constantTimeEqual` ~14 % — it TextEncoder-encodes both the received header and the expected one on every call (`encode` shows as 4 % of all samples). The SHA-256 is already computed once per credentials, so the precomputed verifier is no faster than `verifyWebhook`. pg-sdk-node hashes per call but only JSON.parses and class-transforms.",
  'webhooks.off':
    "The host process is ~64 % idle: the time is PostgreSQL round trips, not JavaScript. One settled webhook is 24 statements in 4 transactions (statement log of one webhook): 12 are framing (`start transaction` + `set_config` + `commit` ×4: record the event, look the payment up, settle, mark the event processed); the payment row is read 4 times (by merchant order id outside the settlement, again inside it, `for update`, and once more after the subscription is activated), updated twice (settle, then subscription and period) and audited twice. Of the CPU that is used, socket writes (one `writev` per statement) lead, then pg row parsing, Kysely query compilation and zod record validation.",
  'webhooks.on':
    "As with confirmation off (24 statements in 4 transactions per webhook) plus the order-status call; the 50 ms of PhonePe latency hides part of the database cost, so the ratio is higher than without confirmation.",
  'webhooks.copies':
    "Every copy is processed in full: the dedupe record answers `duplicate` only once the first delivery is marked processed, so copies that overlap it each ask PhonePe (the row shows the PhonePe calls per burst) and then queue for the payment row's `for update` lock on a pool of 10 connections; the last in line waits for all the others' settlements.",
  'usage.record':
    "Profile of 3,000 calls one at a time: ~72 % idle, waiting on 5 round trips per call (`start transaction`, `set_config`, the live subscription's select, the counter upsert, `commit`) where the anchor needs 1; the library's JavaScript is under 2 % of samples (Kysely compilation, pg parsing, zod).",
  'usage.check':
    "Same shape as recordUsage: 5 round trips in 1 transaction (framing, the subscription select, the counter select) for a read that could be one statement.",
  renewals:
    "Profiles of the worker processes: ~60 % idle, the rest mostly Node's fetch and sockets; the library's own code is under 1 %. The rate is set by waiting: `runRenewals` awaits each claimed subscription in turn (one PhonePe call in flight per worker); `claimDue` hands up to 50 subscriptions to whichever worker asks first, so with 4 workers one claims them all and the other three find none; and each renewal makes 5 PhonePe calls (a status look-up before the notice, the notice, a status check of it, the redeem, a status check of the debit) and, over its four steps, the statements the table shows, more than half of them transaction framing (`start transaction`, `set_config`, `commit` for each of its transactions).",
  emulator:
    "Profile at 10,000 orders: `sweep()` is 98 % of the handler's time. Every request runs it before routing, and it visits every stored order (`dueTransitions` → `orderTransition`, which also builds an expiry descriptor per order) and every refund and subscription, even when nothing is due.",
  import:
    "Profile of `require('dist/index.cjs')`: ~80 % is Node's module loader compiling and resolving files; 95 of the 102 modules loaded are zod's, 64 of them locales — the core imports `zod`'s main entry, which loads every locale.",
  'size.mb':
    "Not a CPU cost: zod is over half of the bytes (its package ships every locale and several builds), and our own dist/ is the next largest.",
  'size.own':
    "Not a CPU cost: about two thirds of our installed bytes are source maps (dist/*.map); the rest is the ESM and CJS builds of every entry point with their .d.ts / .d.cts.",
};

/** The note for a row id: the longest key that is the id or a dot-prefix of it. */
export function profileNote(id: string): string | undefined {
  const keys = Object.keys(PROFILE_NOTES)
    .filter((key) => id === key || id.startsWith(`${key}.`))
    .sort((a, b) => b.length - a.length);
  return keys[0] === undefined ? undefined : PROFILE_NOTES[keys[0]];
}
