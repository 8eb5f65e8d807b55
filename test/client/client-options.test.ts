import { describe, expect, it } from 'vitest';
import { isInvalidOptionsError } from '../../src/common/invalid-options.js';
import { PhonePeClient, type PhonePeClientOptions, phonePeBaseUrls } from '../../src/client/index.js';
import { CLIENT_SECRET, CREDENTIALS } from './support/fake-phonepe.js';

const valid: PhonePeClientOptions = { ...CREDENTIALS, env: 'SANDBOX' };

function constructionError(options: unknown) {
  try {
    new PhonePeClient(options as PhonePeClientOptions);
  } catch (error) {
    return error as Error & { option?: string; code?: string };
  }
  throw new Error('expected the constructor to throw');
}

describe('PhonePeClient options', () => {
  it('accepts the minimal options and several independent instances', () => {
    expect(new PhonePeClient(valid)).toBeInstanceOf(PhonePeClient);
    expect(new PhonePeClient({ ...valid, clientVersion: 1, env: 'PRODUCTION' }).subscriptions).toBeDefined();
  });

  it('rejects an unknown key and lists the known ones', () => {
    const error = constructionError({ ...valid, retries: 3 });
    expect(isInvalidOptionsError(error)).toBe(true);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.option).toBe('retries');
    expect(error.message).toBe(
      'PhonePeClient options: unknown option "retries"; known options: clientId, clientSecret, clientVersion, env, baseUrls, timeoutMs, retry, fetch, logger, clock, onEvent, sleep.',
    );
  });

  it('rejects unknown keys inside retry and baseUrls', () => {
    expect(constructionError({ ...valid, retry: { attempts: 3 } }).message).toMatch(
      /unknown option "retry\.attempts"; known options of retry: limit, baseDelayMs, maxDelayMs/,
    );
    expect(
      constructionError({ ...valid, baseUrls: { pg: 'http://a.test', oauth: 'http://a.test', cards: 'x' } }).option,
    ).toBe('baseUrls.cards');
  });

  it.each([
    ['clientId', { ...valid, clientId: undefined }, 'is required'],
    ['clientSecret', { ...valid, clientSecret: '' }, 'must be a non-empty string'],
    ['env', { ...valid, env: 'UAT' }, 'must be one of SANDBOX, PRODUCTION'],
    ['timeoutMs', { ...valid, timeoutMs: 0 }, 'must be >= 1'],
    ['retry.limit', { ...valid, retry: { limit: -1 } }, 'must be >= 0'],
    [
      'baseUrls.pg',
      { ...valid, baseUrls: { pg: 'localhost:4010', oauth: 'http://a.test' } },
      'must be an absolute http(s) URL',
    ],
    ['fetch', { ...valid, fetch: 'fetch' }, 'must be a function'],
    ['logger', { ...valid, logger: { info() {} } }, 'must have debug, info, warn and error methods'],
    ['clock', { ...valid, clock: Date }, 'must have a now() method'],
  ])('names the bad option %s', (field, options, problem) => {
    const error = constructionError(options);
    expect(error.option).toBe(field);
    expect(error.message).toContain(problem);
  });

  it('never echoes the secret in an options error', () => {
    const error = constructionError({ ...valid, clientSecret: 42, clientId: CLIENT_SECRET });
    expect(error.message).not.toContain(CLIENT_SECRET);
    expect(constructionError({ ...valid, clientVersion: { secret: CLIENT_SECRET } }).message).not.toContain(
      CLIENT_SECRET,
    );
  });

  it('maps env to the documented hosts (docs/phonepe-protocol.md#hosts)', () => {
    expect(phonePeBaseUrls('SANDBOX')).toEqual({
      pg: 'https://api-preprod.phonepe.com/apis/pg-sandbox',
      oauth: 'https://api-preprod.phonepe.com/apis/pg-sandbox',
    });
    expect(phonePeBaseUrls('PRODUCTION')).toEqual({
      pg: 'https://api.phonepe.com/apis/pg',
      oauth: 'https://api.phonepe.com/apis/identity-manager',
    });
  });
});
