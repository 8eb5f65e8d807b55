/** PhonePe calls made through one client's fetch: how many, how many OAuth token calls, most in flight at once. */
export interface FetchCounter {
  calls: number;
  tokenCalls: number;
  inFlight: number;
  maxInFlight: number;
}

/** A fetch that counts what passes through it (handed to `PhonePeClient({ fetch })`, at the network edge). */
export function countingFetch(): { fetch: typeof fetch; counter: FetchCounter } {
  const counter: FetchCounter = { calls: 0, tokenCalls: 0, inFlight: 0, maxInFlight: 0 };
  const counted = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.endsWith('/v1/oauth/token')) counter.tokenCalls += 1;
    else counter.calls += 1;
    counter.inFlight += 1;
    counter.maxInFlight = Math.max(counter.maxInFlight, counter.inFlight);
    try {
      return await fetch(input, init);
    } finally {
      counter.inFlight -= 1;
    }
  };
  return { fetch: counted as typeof fetch, counter };
}
