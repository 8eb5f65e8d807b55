import { describe, expect, it } from 'vitest';
import { reserialiseBody } from '../../src/http/mounting.js';

// What an adapter hands the handler when the host's own body parser ran first.
describe('reserialiseBody', () => {
  const FORM = 'application/x-www-form-urlencoded; charset=utf-8';

  it('passes raw bytes and text through, and nothing for no body', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect(reserialiseBody(bytes, FORM)).toBe(bytes);
    expect(reserialiseBody('a=1', FORM)).toBe('a=1');
    expect(reserialiseBody(undefined)).toBeUndefined();
    expect(reserialiseBody(null)).toBeUndefined();
  });

  it('encodes a parsed form back as one: nested fields in brackets, a repeated field repeated', () => {
    // As express.urlencoded({ extended: true }) (qs) parses Razorpay's failure post and a repeated field.
    const parsed = {
      error: { code: 'BAD_REQUEST_ERROR', metadata: { order_id: 'order_1', payment_id: 'pay_1' } },
      razorpay_payment_id: ['pay_1', 'pay_2'],
      note: 'a b&c=d',
    };
    const encoded = reserialiseBody(parsed, FORM) as string;
    expect([...new URLSearchParams(encoded)]).toEqual([
      ['error[code]', 'BAD_REQUEST_ERROR'],
      ['error[metadata][order_id]', 'order_1'],
      ['error[metadata][payment_id]', 'pay_1'],
      ['razorpay_payment_id', 'pay_1'],
      ['razorpay_payment_id', 'pay_2'],
      ['note', 'a b&c=d'],
    ]);
  });

  it('serialises anything else back to JSON (a form content type with an array body too)', () => {
    expect(reserialiseBody({ a: [1, { b: 'c' }] }, 'application/json')).toBe('{"a":[1,{"b":"c"}]}');
    expect(reserialiseBody({ a: 1 })).toBe('{"a":1}');
    expect(reserialiseBody(['x'], FORM)).toBe('["x"]');
  });

  it('refuses a parsed value nested deeper than 64 levels instead of recursing into it', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(() => reserialiseBody(deep, FORM)).toThrow(expect.objectContaining({ code: 'JSON_TOO_DEEP' }));
  });
});
