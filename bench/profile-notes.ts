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
    "Statement log of one webhook: 7 statements in 1 transaction — BEGIN and the scope ride with the event's record, then the payment row locked once by merchant order id, the live subscription read, the transition with its audit row (one statement), the subscription insert with its audit row (one), the mark, COMMIT — against the anchor's 5. A CPU profile of the host is mostly idle; of the rest, the HTTP adapter and the fetch client of the bench share the process (calling `handleWebhook` directly ran about 1.5–2× the rate through HTTP), then socket writes. What remains is PostgreSQL's work per statement, which per-statement timings put at 2–3× the anchor's: `payment_transactions` carries 8 indexes (a move of `state`/`settled_at` is no HOT update), rows are wider (`RETURNING *` of 33 columns), and the webhook payload and two audit rows are stored — work the plain loop does not do.",
  'webhooks.on':
    "9 statements in 2 transactions per webhook: the event recorded and the payment read in the first, PhonePe's order status read with no transaction open, then lock, settle (audit rows in the statements of the changes) and mark in the second. The 50 ms of PhonePe latency hides most of the database cost.",
  'webhooks.copies':
    "Copies in this process wait for the first delivery (`InFlight`), so a burst costs one status call; copies in other processes queue on the event's row lock and then find it processed.",
  'usage.record':
    "One round trip per call: the scope and `EXECUTE` of a statement prepared once per connection, as one statement batch. The statement reads the live subscription and its plan's limits and upserts the counter with the limit re-checked under its row lock — more server work than the anchor's single-row `UPDATE` (EXPLAIN: ~0.1 ms to plan unprepared, which preparing removes, and 2× the execution time).",
  'usage.check':
    "One round trip: the scope and `EXECUTE` of a prepared read of the live subscription, its plan's limits and the counter.",
  renewals:
    "Claims split the due set (per phase 8/8/8/0: each worker claims only what its 8 lanes can start) and one worker keeps 8 PhonePe calls in flight. With four workers a phase (one wave of 24 steps) took about as long as with one (three waves of 8): the rate is bound by CPU on the shared 2-core machine — four worker processes, PostgreSQL, the emulator and whatever else runs — not by waiting (the emulator alone answers 24 concurrent delayed calls in ~120 ms). Per renewal: about 24 statements (a claim's transaction also loads the claimed subscriptions' payments; each step stores its next action time and drops its claim in the transaction that settles PhonePe's answer) and 4 PhonePe calls — the notice, the status that shows it NOTIFIED, the redeem and the status after it: the protocol's 2 writes plus the 2 reads a worker without webhooks needs.",
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
