// JSON that never loses a digit, and the canonical form the dedupe hash is taken over.
import fc from 'fast-check';
import {
  canonicalJson,
  isLosslessNumber,
  losslessToPlain,
  parseLossless,
  sha256Hex,
  stringifyLossless,
} from '../../src/canvas/lossless-json';

describe('parseLossless', () => {
  it('keeps every digit of an integer above 2^53', () => {
    const parsed = parseLossless('{"submission_id": 21070000012345567}') as Record<string, unknown>;
    expect(isLosslessNumber(parsed.submission_id)).toBe(true);
    expect(String(parsed.submission_id)).toBe('21070000012345567');
    expect(Number('21070000012345567').toString()).not.toBe('21070000012345567'); // what a double would do
  });

  it('keeps the digits of a 25-digit number and of a float a double cannot hold', () => {
    const parsed = parseLossless('[1234567890123456789012345, 0.12345678901234567890123]') as unknown[];
    expect(parsed.map(String)).toEqual(['1234567890123456789012345', '0.12345678901234567890123']);
  });

  it('gives plain JS numbers for values a double holds exactly', () => {
    expect(parseLossless('{"score": 99.5, "attempt": 12}')).toEqual({ score: 99.5, attempt: 12 });
  });

  it('round-trips text with large numbers through stringifyLossless unchanged', () => {
    const text = '{"id":9223372036854775807,"nested":[18446744073709551616,{"x":1}]}';
    expect(stringifyLossless(parseLossless(text))).toBe(text);
  });

  it('throws on text that is not JSON', () => {
    expect(() => parseLossless('{"metadata": ')).toThrow();
  });
});

describe('canonicalJson', () => {
  it('gives the same text, and hash, for the same event with keys in another order', () => {
    const a = parseLossless(
      '{"metadata":{"event_name":"x","event_time":"2020-01-01T00:00:00Z"},"body":{"id":21070000012345567,"b":[1,{"z":1,"a":2}]}}',
    );
    const b = parseLossless(
      '{"body":{"b":[1,{"a":2,"z":1}],"id":21070000012345567},"metadata":{"event_time":"2020-01-01T00:00:00Z","event_name":"x"}}',
    );
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(sha256Hex(canonicalJson(a))).toBe(sha256Hex(canonicalJson(b)));
  });

  it('gives different hashes when a value or the order of an array differs', () => {
    const hash = (text: string) => sha256Hex(canonicalJson(parseLossless(text)));
    expect(hash('{"a":[1,2]}')).not.toBe(hash('{"a":[2,1]}'));
    expect(hash('{"id":21070000012345567}')).not.toBe(hash('{"id":21070000012345568}'));
    expect(hash('{"id":"1"}')).not.toBe(hash('{"id":1}'));
  });

  it('is independent of key order for any JSON object', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(canonicalJson(parseLossless(JSON.stringify(reversed)))).toBe(
          canonicalJson(parseLossless(JSON.stringify(object))),
        );
      }),
    );
  });

  it('is a sha256 in lowercase hex', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('losslessToPlain', () => {
  it('turns large numbers into strings of their digits', () => {
    expect(losslessToPlain(parseLossless('{"a":[21070000012345567],"b":1}'))).toEqual({
      a: ['21070000012345567'],
      b: 1,
    });
  });
});
