/**
 * What a CPU profile showed as the main cost of a figure that missed its goal, keyed by row id (or
 * its prefix: `client.pay` covers `client.pay.c1.fetch`, …). BENCHMARKS.md prints the note of every
 * row that missed its goal in that run, so a note disappears by itself once the goal is met. Update a
 * note when a new profile says otherwise. How to profile: see "Profiling" in BENCHMARKS.md.
 */
export const PROFILE_NOTES: Record<string, string> = {
  'client.getOrderStatus':
    "Profile of 8,000 calls at concurrency 32 (client only, same static server): the library is ~5 % of samples (src/client, and src/shared's response check — a body the schema would return unchanged skips zod's copy); the rest is undici's fetch and the local server. What the raw-fetch anchor does not pay is the per-attempt timeout: an AbortSignal makes undici's `Request` follow it (a WeakRef, a FinalizationRegistry entry, an abort listener, `setMaxListeners`), and Node 20 makes every AbortSignal transferable (`makeTransferable` ~3.5 %). Side by side on this machine, raw fetch with such a signal was ~0.78× raw fetch at concurrency 1 and ~0.9× at 32, and our client is within a few % of it. A timeout that does not abort would leave a hung request holding its socket for undici's 300 s, so the signal stays. Against pg-sdk-node the same signal costs the last part of the 1.5×: raw fetch itself was 1.5–2.4× the SDK for this call.",
  'client.pay':
    "Every attempt carries a timeout signal, which undici follows with a WeakRef, a finalizer and an abort listener (the raw-fetch anchor has none; see getOrderStatus), and the ceiling is lower: undici wraps every request body in a ReadableStream (`extractBody`) and streams it out, while axios (pg-sdk-node) writes the string to the socket, so raw fetch itself was only 0.85–1.35× (median 1.07×) the SDK for `pay` at concurrency 1 — 1.5× the SDK is out of reach while the client sends with fetch. Of ours, request validation (zod `safeParse` of the pay request and `new URL` for the redirect) is ~2.5 % of samples.",
  verify:
    "Profile of 300,000 verifications of the same body: `JSON.parse` (inlined into `parseWebhookEvent`) is ~70 % of `verify`'s time and the payload check (`unchangedBySchema`) ~23 %; the header comparison, nesting count and NUL/surrogate test are under 5 % together. validateCallback parses the same body too, so the parse sets the ceiling of the ratio.",
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
    "Profile of `import('dist/index.js')`: 13 files are compiled and linked (~15 % compiling, ~10 % resolving) and zod builds the schemas the client, webhook, billing, storage and HTTP modules define at module level (~25 %); zod's runtime is bundled, so none of its 95 files or locales are read.",
  'size.mb':
    "Not a CPU cost: zod's package (every locale, several builds and its TypeScript sources) is ~85 % of the install; its runtime is bundled into dist/, but the declarations use its types, so it stays a dependency.",
  'size.own':
    "Not a CPU cost: dist/ holds one ES build (shared chunks for every entry point and the CLI) and one set of .d.cts declarations; README.md (~0.08 MB) and migrations/ follow.",
};

/** The note for a row id: the longest key that is the id or a dot-prefix of it. */
export function profileNote(id: string): string | undefined {
  const keys = Object.keys(PROFILE_NOTES)
    .filter((key) => id === key || id.startsWith(`${key}.`))
    .sort((a, b) => b.length - a.length);
  return keys[0] === undefined ? undefined : PROFILE_NOTES[keys[0]];
}
