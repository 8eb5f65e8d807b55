import { InvalidOptionsError } from '../../common/invalid-options.js';

/**
 * A fault to inject: matched (method + path) before normal routing, on every PhonePe route and the
 * hosted page (never on `/__emulator`).
 *
 * @example
 * emu.faults.add({ method: 'POST', path: '/checkout/v2/pay', status: 503, times: 2 });
 * emu.faults.add({ path: '/checkout/v2/order/*\/status', status: 200, body: '{"state":' }); // malformed JSON
 * emu.faults.add({ path: '/v1/oauth/token', dropConnection: true, times: 1 });
 * // PhonePe creates the order, then its answer is lost on the way back:
 * emu.faults.add({ method: 'POST', path: '/checkout/v2/pay', after: true, dropConnection: true, times: 1 });
 * emu.faults.add({ method: 'POST', path: '/payments/v2/refund', after: true, status: 200, body: '{"refundId":', times: 1 });
 */
export interface FaultSpec {
  /** HTTP method to match; any when omitted. */
  method?: string;
  /**
   * The path, with or without the `/apis/pg-sandbox` prefix. A string matches exactly, except that
   * `*` matches within one segment and `**` across segments; a RegExp is tested against both forms.
   */
  path: string | RegExp;
  /** Answer with this status (default 500 when `body` is given without one). */
  status?: number;
  /** Answer with this body: a string is sent as-is (it may be malformed JSON), anything else as JSON. */
  body?: unknown;
  /** Extra response headers, e.g. `{ 'retry-after': '1' }`. */
  headers?: Record<string, string>;
  /** Wait this long (real time) first; then answer with `status`/`body`, or normally if neither is set. */
  delayMs?: number;
  /** Close the socket without answering (in msw: a network error). */
  dropConnection?: boolean;
  /** How many matching requests it affects; every one until removed when omitted. */
  times?: number;
  /**
   * Act first, then spoil the answer: the request is handled normally (the order, refund, notice or
   * debit really happens) and only then is the answer dropped, delayed, replaced by `status`/`body`,
   * or cut short (`truncate`). This is what a proxy or network failure after PhonePe acted looks like.
   * Without it a fault answers instead of the emulator, so nothing happens.
   */
  after?: boolean;
  /** With `after`: send only the first half of the real answer's body (with its real status). */
  truncate?: boolean;
}

/** A registered fault, as `emu.faults.list()` shows it. */
export interface FaultRecord extends FaultSpec {
  id: string;
  /** How many requests it has affected so far. */
  hits: number;
}

const PG_PREFIX = '/apis/pg-sandbox';

function globToRegExp(glob: string): RegExp {
  const source = glob
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${source}$`);
}

function matchesPath(path: string | RegExp, pathname: string): boolean {
  const candidates = pathname.startsWith(PG_PREFIX) ? [pathname, pathname.slice(PG_PREFIX.length)] : [pathname];
  const pattern = typeof path === 'string' ? globToRegExp(path) : path;
  return candidates.some((candidate) => pattern.test(candidate));
}

/** The emulator's injected faults. */
export function createFaultRegistry() {
  const faults: FaultRecord[] = [];
  let sequence = 0;
  return {
    add(spec: FaultSpec): FaultRecord {
      if (spec.truncate && !spec.after)
        throw new InvalidOptionsError(
          'emu.faults.add',
          'truncate',
          'emu.faults.add options: truncate needs after: true (it cuts the real answer short).',
        );
      const fault: FaultRecord = {
        ...spec,
        method: spec.method?.toUpperCase(),
        id: `fault_${++sequence}`,
        hits: 0,
      };
      faults.push(fault);
      return { ...fault };
    },
    remove(id: string): boolean {
      const index = faults.findIndex((f) => f.id === id);
      if (index >= 0) faults.splice(index, 1);
      return index >= 0;
    },
    clear() {
      faults.length = 0;
    },
    list: (): FaultRecord[] => faults.map((f) => ({ ...f })),
    /** The first fault matching the request, counted as used (and removed once its `times` are spent). */
    take(method: string, pathname: string): FaultRecord | undefined {
      const index = faults.findIndex((f) => (!f.method || f.method === method) && matchesPath(f.path, pathname));
      const fault = faults[index];
      if (!fault) return undefined;
      fault.hits += 1;
      if (fault.times !== undefined && fault.hits >= fault.times) faults.splice(index, 1);
      return { ...fault };
    },
  };
}

export type FaultRegistry = ReturnType<typeof createFaultRegistry>;
