/** Why a return URL was refused. */
export type ReturnUrlProblem = 'malformed' | 'scheme' | 'userinfo' | 'origin' | 'insecure';

export type ReturnUrlCheck = { ok: true; url: string } | { ok: false; problem: ReturnUrlProblem; message: string };

/** Options of {@link createReturnUrlAllowlist}. */
export interface ReturnUrlAllowlistOptions {
  /** Origins the payer may be sent back to, e.g. `['https://app.example.com']`. Paths are not allowed here. */
  origins: readonly string[];
  /**
   * Accept `http://` for `localhost`, `127.0.0.1` and `[::1]` (development).
   * @default false
   */
  allowHttpLocalhost?: boolean;
}

/** Checks return URLs against an allowlist of exact origins (see {@link createReturnUrlAllowlist}). */
export interface ReturnUrlAllowlist {
  readonly origins: readonly string[];
  check(candidate: unknown): ReturnUrlCheck;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
// Only absolute http(s) URLs written out in full: no "//host", no "javascript:", no "https:/host".
const ABSOLUTE_HTTP = /^https?:\/\/[^/\\]/i;
// Whitespace and control characters are stripped or reinterpreted by URL parsers and browsers; refuse them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNSAFE_CHARS = /[\s\u0000-\u001f\u007f\\]/;

/**
 * Builds the allowlist the payer's return URL must match before we store it and, later, redirect the
 * browser to it (an open redirect would let a phishing link bounce through our domain). A URL passes
 * only if it is absolute `https://` (or `http://` on localhost when allowed), has no user-info part,
 * and its origin — scheme, host and port, after URL normalisation — equals one of the configured origins
 * exactly. Look-alikes (`app.example.com.evil.io`, `app.example.com@evil.io`, `//evil.io`, `javascript:`,
 * backslashes, whitespace) are refused.
 *
 * @example
 * const allowlist = createReturnUrlAllowlist({ origins: ['https://app.example.com'] });
 * allowlist.check('https://app.example.com/billing?done=1'); // { ok: true, url: 'https://app.example.com/billing?done=1' }
 * allowlist.check('https://app.example.com.evil.io/');       // { ok: false, problem: 'origin', … }
 */
export function createReturnUrlAllowlist(options: ReturnUrlAllowlistOptions): ReturnUrlAllowlist {
  // JavaScript callers may pass the array itself, or nothing: say what is expected instead of a TypeError.
  if (!options || typeof options !== 'object' || !Array.isArray((options as { origins?: unknown }).origins)) {
    const got = Array.isArray(options)
      ? 'an array (pass { origins: [...] })'
      : options === null
        ? 'null'
        : typeof options;
    throw new TypeError(`createReturnUrlAllowlist expects { origins: string[], allowHttpLocalhost? }, got ${got}.`);
  }
  const allowHttpLocalhost = options.allowHttpLocalhost ?? false;
  const origins = options.origins.map((origin) => normaliseOrigin(origin));
  const allowed = new Set(origins);
  return {
    origins,
    check(candidate) {
      if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 2048) {
        return refuse('malformed', 'return_url must be an absolute URL of at most 2048 characters');
      }
      if (UNSAFE_CHARS.test(candidate) || !ABSOLUTE_HTTP.test(candidate)) {
        return refuse('scheme', 'return_url must be an absolute https:// URL without spaces or backslashes');
      }
      let url: URL;
      try {
        url = new URL(candidate);
      } catch {
        return refuse('malformed', 'return_url is not a valid URL');
      }
      if (url.username || url.password)
        return refuse('userinfo', 'return_url must not contain a user name or password');
      if (url.protocol === 'http:' && !(allowHttpLocalhost && LOCAL_HOSTS.has(url.hostname))) {
        const why = LOCAL_HOSTS.has(url.hostname)
          ? 'return_url uses http:// on localhost, which is accepted only with the allowHttpLocalhost option (config.allowHttpLocalhost: true, for development)'
          : 'return_url must use https:// (http:// is accepted only for localhost, with the allowHttpLocalhost option)';
        return refuse('insecure', why);
      }
      if (!allowed.has(url.origin)) {
        return refuse(
          'origin',
          `return_url origin ${url.origin} is not in the redirect allowlist; add it to PAYMENT_REDIRECT_ALLOWLIST`,
        );
      }
      return { ok: true, url: url.href };
    },
  };
}

function normaliseOrigin(origin: string): string {
  let url: URL | undefined;
  try {
    url = new URL(origin);
  } catch {
    url = undefined;
  }
  const bare =
    url &&
    /^https?:$/.test(url.protocol) &&
    !url.username &&
    !url.password &&
    url.pathname === '/' &&
    !url.search &&
    !url.hash;
  if (!url || !bare) {
    throw new TypeError(
      `redirect allowlist entry "${origin}" must be a bare origin such as https://app.example.com (no path, query or credentials)`,
    );
  }
  return url.origin;
}

function refuse(problem: ReturnUrlProblem, message: string): ReturnUrlCheck {
  return { ok: false, problem, message };
}
