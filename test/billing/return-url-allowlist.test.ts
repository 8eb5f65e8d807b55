import { describe, expect, it } from 'vitest';
import { createReturnUrlAllowlist } from '../../src/billing/return-url-allowlist.js';

const allowlist = createReturnUrlAllowlist({
  origins: ['https://app.example.com', 'https://billing.example.com:8443/'],
});
const dev = createReturnUrlAllowlist({ origins: ['http://localhost:3000'], allowHttpLocalhost: true });

describe('createReturnUrlAllowlist', () => {
  it.each([
    'https://app.example.com/billing/return?order=ord_1',
    'https://APP.example.com/billing',
    'https://app.example.com:443/x',
    'https://billing.example.com:8443/',
  ])('accepts %s', (url) => {
    const result = allowlist.check(url);
    expect(result.ok).toBe(true);
  });

  it('returns the normalised URL that will be redirected to', () => {
    expect(allowlist.check('https://APP.example.com:443/a?b=1')).toEqual({
      ok: true,
      url: 'https://app.example.com/a?b=1',
    });
  });

  it.each([
    ['javascript:alert(1)', 'scheme'],
    ['JavaScript://app.example.com/%0aalert(1)', 'scheme'],
    ['data:text/html,hi', 'scheme'],
    ['//evil.io/path', 'scheme'],
    ['/relative/path', 'scheme'],
    ['https:/app.example.com', 'scheme'],
    ['https:\\\\evil.io', 'scheme'],
    ['https://app.example.com\\@evil.io', 'scheme'],
    [' https://app.example.com/', 'scheme'],
    ['https://app.example.com/\n', 'scheme'],
    ['https://app.example.com\t.evil.io/', 'scheme'],
    ['https://user:pass@app.example.com/', 'userinfo'],
    ['https://app.example.com@evil.io/', 'userinfo'],
    ['https://app.example.com.evil.io/', 'origin'],
    ['https://evil-app.example.com/', 'origin'],
    ['https://app.example.co/', 'origin'],
    ['https://app.example.com:8443/', 'origin'],
    ['https://xn--pp-8ja.example.com/', 'origin'],
    ['https://аpp.example.com/', 'origin'],
    ['http://app.example.com/', 'insecure'],
    ['', 'malformed'],
    [42, 'malformed'],
    [`https://app.example.com/${'a'.repeat(2100)}`, 'malformed'],
  ])('refuses %j (%s)', (url, problem) => {
    const result = allowlist.check(url);
    expect(result).toMatchObject({ ok: false, problem });
  });

  it('accepts http only on localhost, and only when allowed', () => {
    expect(dev.check('http://localhost:3000/billing').ok).toBe(true);
    expect(dev.check('http://localhost:3001/billing')).toMatchObject({ ok: false, problem: 'origin' });
    expect(allowlist.check('http://localhost:3000/')).toMatchObject({ ok: false, problem: 'insecure' });
    const devNoHttp = createReturnUrlAllowlist({ origins: ['http://localhost:3000'] });
    expect(devNoHttp.check('http://localhost:3000/')).toMatchObject({ ok: false, problem: 'insecure' });
  });

  it('refuses allowlist entries that are not bare origins', () => {
    expect(() => createReturnUrlAllowlist({ origins: ['https://app.example.com/path'] })).toThrow(/bare origin/);
    expect(() => createReturnUrlAllowlist({ origins: ['app.example.com'] })).toThrow(/bare origin/);
    expect(() => createReturnUrlAllowlist({ origins: ['ftp://app.example.com'] })).toThrow(/bare origin/);
  });
});
