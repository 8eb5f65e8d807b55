interface Flight {
  running: Promise<unknown>;
  /** A run that starts once `running` ends, shared by everyone who asked for it meanwhile. */
  queued: Promise<unknown> | null;
}

/**
 * Coalesces work on one key within this process, so a storm of copies of one webhook does the work once
 * instead of once per copy (PhonePe redelivers when an answer takes longer than its 3–5 s timeout, which
 * a storm of parallel re-processing causes in turn).
 *
 * - `join`: run, or share the run already going on — for facts that never flip back (an order or refund
 *   reaching a state), where a read made during the copy's arrival is as good as its own.
 * - `after`: share the next run that starts after the current one ends — for states that go back and
 *   forth (a mandate: active, paused, active), where each arrival needs a read made after it arrived.
 *
 * @example
 * const flights = new InFlight();
 * const { result, joined } = flights.join('checkout.order.completed:ord_1:COMPLETED', () => settle());
 */
export class InFlight {
  readonly #flights = new Map<string, Flight>();

  /** Starts `run`, or returns the promise of the run already going on for `key` (`joined: true`). */
  join<T>(key: string, run: () => Promise<T>): { result: Promise<T>; joined: boolean } {
    const flight = this.#flights.get(key);
    if (flight) return { result: (flight.queued ?? flight.running) as Promise<T>, joined: true };
    return { result: this.#start(key, run), joined: false };
  }

  /** Runs `run` now if nothing runs for `key`, else once the current run ends (one run for all who wait). */
  after<T>(key: string, run: () => Promise<T>): Promise<T> {
    const flight = this.#flights.get(key);
    if (!flight) return this.#start(key, run);
    flight.queued ??= flight.running.then(ignore, ignore).then(() => this.#start(key, run));
    return flight.queued as Promise<T>;
  }

  /** How many keys have work going on (for tests and metrics). */
  get size(): number {
    return this.#flights.size;
  }

  #start<T>(key: string, run: () => Promise<T>): Promise<T> {
    const flight: Flight = { running: Promise.resolve(), queued: null };
    this.#flights.set(key, flight);
    const running = (async () => {
      try {
        return await run();
      } finally {
        // A queued run takes the key over when it starts; until then later arrivals join the queue.
        if (this.#flights.get(key) === flight && flight.queued === null) this.#flights.delete(key);
      }
    })();
    flight.running = running;
    return running;
  }
}

function ignore(): void {}
