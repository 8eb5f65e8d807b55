/**
 * What a CPU profile showed as the main cost of a figure that missed its goal, keyed by row id (or
 * its prefix: `client.pay` covers `client.pay.c1.fetch`, …). BENCHMARKS.md prints the note of every
 * row that missed its goal in that run, so a note disappears by itself once the goal is met. Update a
 * note when a new profile says otherwise. How to profile: see "Profiling" in BENCHMARKS.md.
 */
export const PROFILE_NOTES: Record<string, string> = {
  'client.getOrderStatus':
    "Profile of 8,000 calls at concurrency 32 (client only, same static server): the library is ~5 % of samples (src/client, and src/common's response check — a body the schema would return unchanged skips zod's copy); the rest is undici's fetch and the local server. What the raw-fetch anchor does not pay is the per-attempt timeout: an AbortSignal makes undici's `Request` follow it (a WeakRef, a FinalizationRegistry entry, an abort listener, `setMaxListeners`), and Node 20 makes every AbortSignal transferable (`makeTransferable` ~3.5 %). Side by side on this machine, raw fetch with such a signal was ~0.78× raw fetch at concurrency 1 and ~0.9× at 32, and our client is within a few % of it. A timeout that does not abort would leave a hung request holding its socket for undici's 300 s, so the signal stays. Against pg-sdk-node the same signal costs the last part of the 1.5×: raw fetch itself was 1.5–2.4× the SDK for this call.",
  'client.pay':
    'Every attempt carries a timeout signal, which undici follows with a WeakRef, a finalizer and an abort listener (the raw-fetch anchor has none; see getOrderStatus), and the ceiling is lower: undici wraps every request body in a ReadableStream (`extractBody`) and streams it out, while axios (pg-sdk-node) writes the string to the socket, so raw fetch itself was only 0.85–1.35× (median 1.07×) the SDK for `pay` at concurrency 1 — 1.5× the SDK is out of reach while the client sends with fetch. Of ours, request validation (zod `safeParse` of the pay request and `new URL` for the redirect) is ~2.5 % of samples.',
  verify:
    "Profile of 300,000 verifications of the same body: `JSON.parse` (inlined into `parseWebhookEvent`) is ~70 % of `verify`'s time and the payload check (`unchangedBySchema`) ~23 %; the header comparison, nesting count and NUL/surrogate test are under 5 % together. validateCallback parses the same body too, so the parse sets the ceiling of the ratio.",
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
    '`sweep()` no longer visits every stored order on every request: it keeps the next due time and scans again only after a state change or once that time has passed, so a status call is a map look-up plus the answer. When this figure misses, it is the machine, not the emulator: the per-call times are well under a millisecond on both sides and their ranges are wide on a loaded machine (load average 13.8 at the end of the 2026-11-29 run, range 0.75–4.4×); run alone right after it (`npm run bench -- --only=emulator`, twice) it measured 0.55× (0.33–2.2) and 0.64× (0.44–2.3).',
  import:
    "Profile of `import('dist/index.js')`: 13 files are compiled and linked (~15 % compiling, ~10 % resolving) and zod builds the schemas the client, webhook, billing, storage and HTTP modules define at module level (~25 %); zod's runtime is bundled, so none of its 95 files or locales are read.",
  'size.mb':
    "Not a CPU cost: zod's package (every locale, several builds and its TypeScript sources) is ~85 % of the install; its runtime is bundled into dist/, but the declarations use its types, so it stays a dependency.",
  'size.own':
    'Not a CPU cost: dist/ holds one ES build (shared chunks for every entry point and the CLI) and one set of .d.cts declarations; README.md (~0.08 MB) and migrations/ follow.',
};

/** The note for a row id: the longest key that is the id or a dot-prefix of it. */
export function profileNote(id: string): string | undefined {
  const keys = Object.keys(PROFILE_NOTES)
    .filter((key) => id === key || id.startsWith(`${key}.`))
    .sort((a, b) => b.length - a.length);
  return keys[0] === undefined ? undefined : PROFILE_NOTES[keys[0]];
}
