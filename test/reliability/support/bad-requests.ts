import http from 'node:http';
import fc from 'fast-check';

/**
 * One bad request for the billing API: every one carries at least one defect that must make the API
 * refuse it (4xx) before anything is written — an odd method, an unknown path, a missing or wrong
 * identity, workspace, body, path parameter, query or webhook credential, a body that is not JSON,
 * not UTF-8, too big, too deep, or holding a NUL character or a lone surrogate. `path` is relative
 * to the API's base path and already percent-encoded where it needs to be.
 */
export interface BadRequest {
  /** The defect, for the figures (`odd_method`, `deep_json`, `webhook_garbage`, …). */
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** What a target can carry: the web-standard handler takes no TRACE but any header byte; node:http the reverse. */
export interface TargetProfile {
  /** Methods the target routes to the billing API at all (HEAD left out: its answers have no body to check). */
  methods: readonly string[];
  /** The bare handler, called with a web `Request`: lower-case methods and control characters in headers reach it. */
  webStandard: boolean;
}

/** Ids and credentials of the state the fuzz runs against. */
export interface FuzzFixture {
  /** A workspace with an active subscription and a completed payment (`paidOrderId`). */
  tenant: string;
  /** A workspace id that has no billing yet. */
  freshTenant: string;
  paidOrderId: string;
  /** PhonePe's Authorization header for the configured webhook credentials. */
  webhookAuthorization: string;
  returnUrl: string;
}

const ALL_NODE_METHODS = http.METHODS.filter((method) => method !== 'CONNECT' && method !== 'HEAD');

/** The profile of an adapter served over real HTTP (Fastify: pass its `supportedMethods`). */
export function httpProfile(routedMethods: readonly string[] = ALL_NODE_METHODS): TargetProfile {
  return { methods: routedMethods.filter((method) => method !== 'HEAD' && method !== 'CONNECT'), webStandard: false };
}

/** The profile of the bare web handler: any method a `Request` can carry, in any case. */
export const WEB_PROFILE: TargetProfile = {
  methods: [
    ...ALL_NODE_METHODS.filter((method) => method !== 'TRACE'),
    'get',
    'post',
    'put',
    'patch',
    'propfind',
    'Delete',
    'X-CUSTOM',
  ],
  webStandard: true,
};

type Endpoint = {
  method: 'GET' | 'POST' | 'PUT';
  path: (f: FuzzFixture) => string;
  access: 'public' | 'read' | 'manage' | 'refund' | 'webhook';
  body?: (f: FuzzFixture) => Record<string, unknown>;
};

const ENDPOINTS: Record<string, Endpoint> = {
  create: {
    method: 'POST',
    path: () => '/payments/create',
    access: 'manage',
    body: (f) => ({ plan_id: 'pro', amount: '2999.00', return_url: f.returnUrl }),
  },
  callback: { method: 'GET', path: () => '/payments/callback', access: 'public' },
  webhook: { method: 'POST', path: () => '/payments/webhook', access: 'webhook' },
  status: { method: 'GET', path: (f) => `/payments/status/${f.paidOrderId}`, access: 'read' },
  refund: {
    method: 'POST',
    path: (f) => `/payments/${f.paidOrderId}/refund`,
    access: 'refund',
    body: () => ({ amount: '1.00', reason: 'fuzz' }),
  },
  subscription: { method: 'GET', path: () => '/subscriptions', access: 'read' },
  cancel: {
    method: 'PUT',
    path: () => '/subscriptions/cancel',
    access: 'manage',
    body: () => ({ cancellation_reason: 'fuzz', at_period_end: true }),
  },
  resume: { method: 'POST', path: () => '/subscriptions/resume', access: 'manage', body: () => ({}) },
  changePlan: {
    method: 'POST',
    path: () => '/subscriptions/change-plan',
    access: 'manage',
    body: (f) => ({ plan_id: 'starter', return_url: f.returnUrl }),
  },
  usage: { method: 'GET', path: () => '/subscriptions/usage', access: 'read' },
  plans: { method: 'GET', path: () => '/plans', access: 'public' },
};
const ENDPOINT_NAMES = Object.keys(ENDPOINTS);
const MEMBER_ENDPOINTS = ENDPOINT_NAMES.filter((name) =>
  ['read', 'manage', 'refund'].includes((ENDPOINTS[name] as Endpoint).access),
);
const BODY_ENDPOINTS = ENDPOINT_NAMES.filter((name) => (ENDPOINTS[name] as Endpoint).body !== undefined);

const JSON_HEADERS = { 'content-type': 'application/json' };
const owner = (tenant: string) => ({ authorization: 'Bearer u_owner', 'x-tenant-id': tenant });
const tenantFor = (endpoint: string, f: FuzzFixture) => (endpoint === 'create' ? f.freshTenant : f.tenant);

// ---- small pieces ------------------------------------------------------------------------------

/** Printable ASCII (what every transport carries in a header or a path). */
const ascii = (maxLength = 24) => fc.string({ unit: 'grapheme-ascii', maxLength });
/** Any Unicode text (no lone surrogates: those are added on purpose where wanted). */
const unicode = (maxLength = 24) => fc.string({ unit: 'binary', maxLength });
/** Bytes a header value may carry: latin1 over HTTP, also control characters for a web Request (never NUL, CR, LF). */
const headerJunk = (web: boolean) =>
  fc
    .string({
      unit: fc
        .integer({ min: web ? 1 : 0x20, max: 0xff })
        .filter((c) => c !== 10 && c !== 13 && c !== 0x7f)
        .map((c) => String.fromCharCode(c)),
      minLength: 1,
      maxLength: 40,
    })
    // Headers trim surrounding whitespace: keep the value non-blank inside.
    .map((value) => `x${value}x`);

/** A string PostgreSQL cannot hold: a NUL character or a lone surrogate somewhere in ordinary text. */
const unstorableText = fc
  .tuple(
    unicode(12),
    fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff', '\ud83d', '\u0000\u0000'),
    unicode(12),
  )
  .map(([before, bad, after]) => `${before}${bad}${after}`);

/** `depth` levels of arrays or objects around `inner`, as JSON text. */
function nestedJson(depth: number, style: 'array' | 'object' | 'mixed', inner = '1'): string {
  if (style === 'array') return `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
  if (style === 'object') return `${'{"a":'.repeat(depth)}${inner}${'}'.repeat(depth)}`;
  const half = Math.floor(depth / 2);
  return `${'[{"a":'.repeat(half)}${'['.repeat(depth - 2 * half)}${inner}${']'.repeat(depth - 2 * half)}${'}]'.repeat(half)}`;
}
const deepValue = fc
  .tuple(
    fc.oneof(fc.integer({ min: 65, max: 200 }), fc.integer({ min: 201, max: 20_000 })),
    fc.constantFrom('array', 'object', 'mixed') as fc.Arbitrary<'array' | 'object' | 'mixed'>,
  )
  .map(([depth, style]) => nestedJson(depth, style));

/** A JSON text whose top-level value is not an object. */
const nonObjectJson = fc.oneof(
  fc
    .jsonValue({ maxDepth: 2 })
    .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
    .map((v) => JSON.stringify(v)),
  fc.constantFrom('null', 'true', '0', '"{}"', '[]', '[{}]'),
);
/** Text that is certainly not JSON (whatever `s` is, `{` + s + `,` never parses). */
const invalidJson = fc.oneof(
  unicode(40).map((s) => `{${s},`),
  fc.constantFrom(
    '{',
    '}',
    '{"a":}',
    "{'a': 1}",
    '{"a": 1,}',
    '{"a": NaN}',
    '{"a": 01}',
    '{"a": "\\x41"}',
    'undefined',
    '{"a": 1}}',
    '\ufeff{"a": 1}',
  ),
);
/** Bytes that are not UTF-8 (each one has at least one byte no UTF-8 text contains here). */
const nonUtf8 = fc
  .tuple(
    fc.uint8Array({ maxLength: 40 }),
    fc.constantFrom([0xff], [0xfe], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82]),
    fc.uint8Array({ maxLength: 40 }),
  )
  .map(
    ([a, bad, b]) =>
      new Uint8Array([
        ...new TextEncoder().encode('{"reason": "'),
        ...a,
        ...bad,
        ...b,
        ...new TextEncoder().encode('"}'),
      ]),
  );
/** A JSON string literal with a raw control character inside (JSON requires them escaped). */
const rawControlJson = fc.integer({ min: 0, max: 0x1f }).map((c) => `{"reason": "a${String.fromCharCode(c)}b"}`);

/** A body over the 64 KiB default limit. */
const hugeBody = fc
  .oneof(
    { weight: 9, arbitrary: fc.integer({ min: 65 * 1024 + 1, max: 160 * 1024 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1024 * 1024, max: 2 * 1024 * 1024 }) },
  )
  .map((size) => JSON.stringify({ padding: 'p'.repeat(size) }));

/** Content types the API does not read (JSON sent under them is refused with 415). */
const wrongContentType = fc.constantFrom(
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/jsonp',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/octet-stream',
  'json',
  'application/json-patch',
  '*/*',
);

/** Extra headers that change nothing about the defect the request already has. */
/** `arbitrary` one time in `every`, `null` otherwise. */
const sometimes = <T>(every: number, arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: every - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });

const noiseHeaders = (web: boolean): fc.Arbitrary<Record<string, string>> =>
  sometimes(
    3,
    fc.record(
      {
        accept: fc.constantFrom('application/xml', '*/*', 'application/json;q=0', 'image/*'),
        'user-agent': headerJunk(web),
        cookie: headerJunk(web),
        'x-forwarded-for': headerJunk(web),
        'x-request-id': headerJunk(web).map((v) => v.repeat(50)),
      },
      { requiredKeys: [] },
    ),
  ).chain((noise) =>
    // A Content-Encoding now and then: Express refuses an encoded body before routing, which would otherwise hide the defect under test.
    sometimes(20, fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown', 'gzip, gzip')).map((encoding) => ({
      ...noise,
      ...(encoding ? { 'content-encoding': encoding } : {}),
    })),
  );

// ---- the defects -------------------------------------------------------------------------------

/** A method no route takes on a known path, or any method on an unknown path: 405 / 404. */
function oddMethod(profile: TargetProfile, f: FuzzFixture): fc.Arbitrary<BadRequest> {
  return fc
    .record({
      endpoint: fc.constantFrom(...ENDPOINT_NAMES),
      method: fc.constantFrom(...profile.methods),
      body: fc.option(fc.constantFrom('{}', '{"plan_id": "pro"}', 'x'), { freq: 2 }),
      asOwner: fc.boolean(),
    })
    .filter(({ endpoint, method }) => method.toUpperCase() !== (ENDPOINTS[endpoint] as Endpoint).method)
    .map(({ endpoint, method, body, asOwner }) => {
      const noBody = profile.webStandard && /^(get|head)$/i.test(method);
      return {
        kind: 'odd_method',
        method,
        path: (ENDPOINTS[endpoint] as Endpoint).path(f),
        headers: { ...(asOwner ? owner(tenantFor(endpoint, f)) : {}), ...(body && !noBody ? JSON_HEADERS : {}) },
        ...(body && !noBody ? { body } : {}),
      };
    });
}

/** A path below the base path that no route matches: 404 (Fastify answers broken percent-encoding itself). */
function unknownPath(profile: TargetProfile, f: FuzzFixture): fc.Arbitrary<BadRequest> {
  // Never empty and never a dot segment: `/plans/` or `/plans/%2e` would be GET /plans itself once
  // the URL is normalised, and `..` segments could climb out of the billing prefix into the host's routes.
  const segment = fc.oneof(
    ascii(16)
      .filter((s) => s.length > 0 && s !== '.' && s !== '..')
      .map((s) => encodeURIComponent(s)),
    fc.constantFrom(
      '%00',
      '%2F',
      '%ZZ',
      '%',
      '%C0%AF',
      '%F0%9F%99%82',
      '%ED%A0%80',
      '~',
      'a;b',
      'a,b',
      "'",
      '%0d%0a',
      '...',
    ),
  );
  const path = fc.oneof(
    fc.array(segment, { minLength: 1, maxLength: 5 }).map((segments) => `/zz${segments.join('/')}`),
    fc
      .tuple(
        fc.constantFrom(
          '/plans/',
          '/subscriptions/cancel/',
          '/payments/webhook/',
          '/payments/status/a/',
          '/subscriptions/x-',
        ),
        segment,
      )
      .map(([prefix, s]) => `${prefix}${s}`),
    fc.constantFrom(
      '/payments',
      '/payments/status',
      '/payments//refund',
      '/payments/callback/x',
      '//plans',
      '/PLANS',
      '/Plans',
      '/zz/..',
      '/zz/%2e%2e/zz',
      '/',
    ),
  );
  return fc
    .record({ path, method: fc.constantFrom('GET', 'POST', 'PUT', ...profile.methods.slice(0, 4)) })
    .map(({ path: p, method }) => ({
      kind: 'unknown_path',
      method,
      path: p,
      headers: owner(f.tenant),
    }));
}

/** A member route without a usable identity (401), or by someone who may not use it (403). */
function badIdentity(profile: TargetProfile, f: FuzzFixture): fc.Arbitrary<BadRequest> {
  const LESSER = ['Bearer u_member', 'Bearer u_admin'];
  const credential = fc.oneof(
    fc.constant<string | null>(null),
    fc.constantFrom(
      'Bearer',
      'Bearer ',
      'Bearer throw',
      'Basic dTpw',
      'bearer u_owner',
      'Token u_owner',
      'Bearer u_owner extra',
      'Bearer u_stranger',
      'Bearer u_nobody',
      ...LESSER,
    ),
    headerJunk(profile.webStandard).map((junk) => `Bearer ${junk.replace(/\s/g, '_')}`),
    headerJunk(profile.webStandard),
  );
  return (
    fc
      .record({ endpoint: fc.constantFrom(...MEMBER_ENDPOINTS), auth: credential })
      // Members and admins may read: for them only the routes that change billing are off limits.
      .filter(
        ({ endpoint, auth }) =>
          !(auth !== null && LESSER.includes(auth) && (ENDPOINTS[endpoint] as Endpoint).access === 'read'),
      )
      .map(({ endpoint, auth }) => {
        const e = ENDPOINTS[endpoint] as Endpoint;
        return {
          kind: auth !== null && LESSER.includes(auth) ? 'role_not_allowed' : 'bad_identity',
          method: e.method,
          path: e.path(f),
          headers: {
            ...(auth === null ? {} : { authorization: auth }),
            'x-tenant-id': tenantFor(endpoint, f),
            ...(e.body ? JSON_HEADERS : {}),
          },
          ...(e.body ? { body: JSON.stringify(e.body(f)) } : {}),
        };
      })
  );
}

/** A member route whose X-Tenant-ID is missing, malformed, too long, or a workspace the caller is not in. */
function badTenant(profile: TargetProfile, f: FuzzFixture): fc.Arbitrary<BadRequest> {
  // Characters no tenant id may hold; the web-standard adapters also see the control characters that
  // Node's own HTTP parser refuses before any adapter runs.
  const forbidden = [
    '/',
    '\\',
    '"',
    '#',
    '%',
    '*',
    ',',
    ';',
    '<',
    '>',
    '@',
    '[',
    '{',
    '|',
    '\u00e9',
    '\u00ff',
    ' ',
    '\t',
  ];
  const badChar = fc.constantFrom(...(profile.webStandard ? [...forbidden, '\u0001', '\u001f', '\u007f'] : forbidden));
  const tenant = fc.oneof(
    fc.constant<string | null>(null),
    fc.constant(''),
    // The bad character sits inside the value: surrounding whitespace would be trimmed away in transit.
    fc
      .tuple(
        ascii(8).map((s) => s.replace(/[^A-Za-z0-9]/g, 'a')),
        badChar,
        ascii(8).map((s) => s.replace(/[^A-Za-z0-9]/g, 'b')),
      )
      .map(([a, c, b]) => `ws_${a}${c}${b}z`),
    fc.integer({ min: 129, max: 400 }).map((n) => `ws_${'a'.repeat(n)}`),
    fc.constantFrom('foreign_ws', 'other-company', 'WS_FUZZ'),
  );
  return fc.record({ endpoint: fc.constantFrom(...MEMBER_ENDPOINTS), tenant }).map(({ endpoint, tenant: t }) => {
    const e = ENDPOINTS[endpoint] as Endpoint;
    return {
      kind: 'bad_tenant',
      method: e.method,
      path: e.path(f),
      headers: {
        authorization: 'Bearer u_owner',
        ...(t === null ? {} : { 'x-tenant-id': t }),
        ...(e.body ? JSON_HEADERS : {}),
      },
      ...(e.body ? { body: JSON.stringify(e.body(f)) } : {}),
    };
  });
}

/** Values of the wrong type or range for each field (never a valid one). */
const WRONG_FIELDS: Record<string, Record<string, unknown[]>> = {
  create: {
    plan_id: [5, '', '../admin', 'x'.repeat(64), null, 'platinum', ['pro']],
    amount: ['29.999', '-2999.00', '1e3', '2,999.00', null, true, {}, '999.00', 0.1],
    return_url: ['', 5, 'https://evil.example/', 'javascript:alert(1)', '//evil.example', 'x'.repeat(3000)],
    currency: [5, '', 'USD', 'x'.repeat(9)],
    autopay: ['yes', 1, null],
  },
  cancel: { cancellation_reason: [5, {}, [], 'x'.repeat(501), true], at_period_end: ['no', 0, null, 'true'] },
  resume: { now: [true], force: [1] },
  changePlan: {
    plan_id: [5, '', '../admin', null, 'platinum', 'x'.repeat(64)],
    return_url: [5, '', 'https://evil.example/x'],
    force: ['yes', 1, null],
  },
  refund: { amount: ['0.50', '0', -5, 'abc', null, {}, '0.001', '1e2'], reason: [5, 'x'.repeat(501), []] },
};

/** A body-taking route, as the owner of the workspace, whose body is wrong in one way. */
function badBody(profile: TargetProfile, f: FuzzFixture): fc.Arbitrary<BadRequest> {
  return fc.constantFrom(...BODY_ENDPOINTS).chain((endpoint) => {
    const e = ENDPOINTS[endpoint] as Endpoint;
    const base = (e.body as NonNullable<Endpoint['body']>)(f);
    const stringFields = Object.keys(base).filter((key) => typeof base[key] === 'string');
    const known = [...Object.keys(base), 'currency', 'autopay', 'force', 'at_period_end'];
    const asJson = (kind: string, body: string | Uint8Array, headers: Record<string, string> = JSON_HEADERS) => ({
      kind,
      body,
      headers,
    });
    const defect = fc.oneof(
      fc
        .record({ key: ascii(12).filter((k) => !known.includes(k)), value: fc.jsonValue({ maxDepth: 3 }) })
        .map(({ key, value }) => asJson('unknown_field', JSON.stringify({ ...base, [key]: value }))),
      fc
        .constantFrom(
          ...Object.entries(WRONG_FIELDS[endpoint] as Record<string, unknown[]>).flatMap(([field, values]) =>
            values.map((value) => ({ [field]: value })),
          ),
        )
        .map((wrong) => asJson('wrong_field', JSON.stringify({ ...base, ...wrong }))),
      fc
        .record({
          field: fc.constantFrom(...(stringFields.length > 0 ? stringFields : ['note'])),
          text: unstorableText,
          asKey: fc.boolean(),
        })
        .map(({ field, text, asKey }) =>
          asJson('unstorable_text', JSON.stringify(asKey ? { ...base, [text]: 'x' } : { ...base, [field]: text })),
        ),
      deepValue.map((deep) => asJson('deep_json', `{"${stringFields[0] ?? 'note'}": ${deep}}`)),
      invalidJson.map((text) => asJson('invalid_json', text)),
      rawControlJson.map((text) => asJson('invalid_json', text)),
      nonUtf8.map((bytes) => asJson('non_utf8', bytes)),
      nonObjectJson.map((text) => asJson('non_object_json', text)),
      hugeBody.map((text) => asJson('huge_body', text)),
      fc
        .tuple(wrongContentType, fc.boolean())
        .map(([type, sendType]) =>
          asJson(
            'wrong_content_type',
            JSON.stringify(base) === '{}' ? '{"x": 1}' : JSON.stringify(base),
            sendType ? { 'content-type': type } : {},
          ),
        ),
      ...(endpoint === 'create'
        ? [
            fc
              .oneof(
                fc
                  .tuple(
                    ascii(10),
                    fc.constantFrom(
                      ' ',
                      '\u00e9',
                      '\u00ff',
                      ...(profile.webStandard ? ['\u0001', '\u007f', '\t'] : ['\t']),
                    ),
                    ascii(10),
                  )
                  .map(([a, c, b]) => `k${a}${c}${b}k`),
                fc.integer({ min: 256, max: 600 }).map((n) => 'k'.repeat(n)),
                fc.constant(''),
              )
              .map((key) => ({
                kind: 'bad_idempotency_key',
                body: JSON.stringify(base),
                headers: { ...JSON_HEADERS, 'idempotency-key': key },
              })),
          ]
        : []),
    );
    return defect.map(({ kind, body, headers }) => ({
      kind,
      method: e.method,
      path: e.path(f),
      headers: { ...owner(tenantFor(endpoint, f)), ...headers },
      body,
    }));
  });
}

/** Malformed or unknown order ids in the path: 400 / 404 (and nothing looked up at PhonePe). */
function badPathParam(_profile: TargetProfile, f: FuzzFixture): fc.Arbitrary<BadRequest> {
  const id = fc.oneof(
    ascii(20)
      .filter((s) => !/^[A-Za-z0-9_-]{1,63}$/.test(s))
      .map((s) => encodeURIComponent(s) || '%20'),
    fc.constantFrom(
      '%00',
      'ord%001',
      'ord%2F1',
      '%ZZ',
      'ord%E9',
      '%C0%AF',
      'x'.repeat(64),
      'ord.1',
      'ord%20',
      '%F0%9F%99%82',
      '..',
    ),
    fc.stringMatching(/^ord_[a-z0-9]{8,20}$/).map((s) => `${s}_unknown`),
  );
  return fc.record({ id, refund: fc.boolean() }).map(({ id: orderId, refund }) => ({
    kind: 'bad_path_param',
    method: refund ? 'POST' : 'GET',
    path: refund ? `/payments/${orderId}/refund` : `/payments/status/${orderId}`,
    headers: { ...owner(f.tenant), ...(refund ? JSON_HEADERS : {}) },
    ...(refund ? { body: '{"amount": "1.00"}' } : {}),
  }));
}

/** The payer's return without one valid order id, or with one nobody created: 400 / 404. */
function badCallbackQuery(): fc.Arbitrary<BadRequest> {
  const query = fc.oneof(
    fc.constantFrom(
      '',
      '?',
      '?order_id=',
      '?order_id',
      '?order_id=%00',
      '?order_id=a%00b',
      '?order_id=%ZZ',
      '?order_id=ord_1&order_id=ord_2',
      '?ORDER_ID=ord_1',
      '?order_id[]=ord_1',
    ),
    ascii(20)
      .filter((s) => !/^[A-Za-z0-9_-]{1,63}$/.test(s))
      .map((s) => `?order_id=${encodeURIComponent(s)}`),
    fc.integer({ min: 64, max: 3000 }).map((n) => `?order_id=${'o'.repeat(n)}`),
    fc.stringMatching(/^[a-z0-9]{6,20}$/).map((s) => `?order_id=ord_${s}_unknown&return_url=https://evil.example`),
  );
  return query.map((q) => ({ kind: 'bad_callback_query', method: 'GET', path: `/payments/callback${q}`, headers: {} }));
}

/** A webhook without PhonePe's Authorization: 401 (413 when the body is also too big). */
function unauthenticatedWebhook(profile: TargetProfile, f: FuzzFixture): fc.Arbitrary<BadRequest> {
  const authorization = fc.oneof(
    fc.constant<string | null>(null),
    fc.stringMatching(/^[0-9a-f]{64}$/).filter((hash) => hash !== f.webhookAuthorization),
    fc.constantFrom(
      'Basic ZW11bGF0b3Jfd2ViaG9vazplbXVsYXRvclBhc3MxMjM=',
      `Bearer ${f.webhookAuthorization}`,
      `${f.webhookAuthorization}x`,
      f.webhookAuthorization.slice(1),
    ),
    headerJunk(profile.webStandard),
  );
  const body = fc.oneof(
    fc.constant('{"event":"checkout.order.completed","payload":{}}'),
    invalidJson,
    deepValue.map((d) => `{"event":"x","payload":${d}}`),
  );
  return fc.record({ authorization, body }).map(({ authorization: a, body: b }) => ({
    kind: 'webhook_unauthenticated',
    method: 'POST',
    path: '/payments/webhook',
    headers: { ...JSON_HEADERS, ...(a === null ? {} : { authorization: a }) },
    body: b,
  }));
}

const KNOWN_EVENTS = [
  'checkout.order.completed',
  'checkout.order.failed',
  'pg.refund.completed',
  'pg.refund.failed',
  'subscription.paused',
  'subscription.revoked',
  'subscription.setup.order.completed',
];
const LEGACY_TYPES = ['CHECKOUT_ORDER_COMPLETED', 'PG_REFUND_COMPLETED', 'SUBSCRIPTION_PAUSED'];

/**
 * A webhook with PhonePe's real Authorization whose body is not an event PhonePe sends: never a
 * well-formed unknown event (that one is recorded, as it should be), always one that must be refused.
 */
function authenticatedGarbageWebhook(_profile: TargetProfile, f: FuzzFixture): fc.Arbitrary<BadRequest> {
  // Every known payload schema needs `state` as a string: a non-string one is never a valid payload.
  const brokenState = fc.oneof(
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant({}),
    fc.constant(['COMPLETED']),
  );
  const brokenPayload = fc
    .record({ extra: fc.dictionary(ascii(8), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), state: brokenState })
    .map(({ extra, state }) => ({ merchantOrderId: f.paidOrderId, orderId: 'OMO1', amount: 299_900, ...extra, state }));
  const body = fc.oneof(
    invalidJson,
    nonObjectJson,
    rawControlJson,
    nonUtf8,
    fc.constantFrom(
      '{}',
      '{"payload":{}}',
      '{"event":"","payload":{}}',
      '{"event":5,"payload":{}}',
      '{"event":null,"type":null,"payload":{}}',
      '{"event":"checkout.order.completed"}',
      '{"event":"checkout.order.completed","payload":[]}',
      '{"event":"pg.refund.completed","payload":"x"}',
      '{"type":"CHECKOUT_ORDER_COMPLETED","payload":5}',
      '{"event":"x.y"}',
      '{"event":"x.y","payload":null}',
    ),
    fc.record({ event: fc.constantFrom(...KNOWN_EVENTS), payload: brokenPayload }).map((b) => JSON.stringify(b)),
    fc.record({ type: fc.constantFrom(...LEGACY_TYPES), payload: brokenPayload }).map((b) => JSON.stringify(b)),
    fc
      .record({
        event: fc.oneof(
          fc.constantFrom(...KNOWN_EVENTS),
          ascii(20).filter((s) => s.length > 0),
        ),
        text: unstorableText,
        where: fc.constantFrom('value', 'key', 'event'),
      })
      .map(({ event, text, where }) =>
        JSON.stringify(
          where === 'event'
            ? { event: text, payload: {} }
            : { event, payload: where === 'key' ? { [text]: 1 } : { merchantOrderId: f.paidOrderId, note: text } },
        ),
      ),
    deepValue.map(
      (deep) => `{"event":"checkout.order.completed","payload":{"merchantOrderId":"${f.paidOrderId}","x":${deep}}}`,
    ),
    deepValue.map((deep) => `{"event":"some.future.event","payload":${deep}}`),
    hugeBody,
  );
  return body.map((b) => ({
    kind: 'webhook_garbage',
    method: 'POST',
    path: '/payments/webhook',
    headers: { ...JSON_HEADERS, authorization: f.webhookAuthorization },
    body: b,
  }));
}

/**
 * Bad requests for `profile`, each with one defect (plus, sometimes, headers that change nothing).
 * Weighted towards the defects that reach deepest (bodies, webhooks).
 */
export function badRequests(profile: TargetProfile, f: FuzzFixture): fc.Arbitrary<BadRequest> {
  const request = fc.oneof(
    { weight: 2, arbitrary: oddMethod(profile, f) },
    { weight: 1, arbitrary: unknownPath(profile, f) },
    { weight: 2, arbitrary: badIdentity(profile, f) },
    { weight: 2, arbitrary: badTenant(profile, f) },
    { weight: 6, arbitrary: badBody(profile, f) },
    { weight: 1, arbitrary: badPathParam(profile, f) },
    { weight: 1, arbitrary: badCallbackQuery() },
    { weight: 1, arbitrary: unauthenticatedWebhook(profile, f) },
    { weight: 4, arbitrary: authenticatedGarbageWebhook(profile, f) },
  );
  return fc
    .tuple(request, noiseHeaders(profile.webStandard))
    .map(([r, noise]) => ({ ...r, headers: { ...noise, ...r.headers } }));
}
