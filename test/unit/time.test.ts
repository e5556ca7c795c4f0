// Canvas timestamps: ISO-8601 with any UTC offset, parsed to one instant (ms precision).
import fc from 'fast-check';
import { earlier, formatInstant, instantProblem, later, parseInstant } from '../../src/canvas/time';

const instant = (text: string) => parseInstant(text).toISOString();

describe('parseInstant', () => {
  it('reads a -06:00 offset as the same instant as its UTC spelling', () => {
    expect(instant('2020-03-30T11:18:51-06:00')).toBe('2020-03-30T17:18:51.000Z');
    expect(parseInstant('2020-03-30T11:18:51-06:00').getTime()).toBe(parseInstant('2020-03-30T17:18:51Z').getTime());
  });

  it('reads Z, +HH:MM, +HHMM and +HH offsets', () => {
    expect(instant('2019-11-01T19:11:21.419Z')).toBe('2019-11-01T19:11:21.419Z');
    expect(instant('2019-11-02T00:41:21.419+05:30')).toBe('2019-11-01T19:11:21.419Z');
    expect(instant('2019-11-02T00:41:21.419+0530')).toBe('2019-11-01T19:11:21.419Z');
    expect(instant('2019-11-01T21:11:21+02')).toBe('2019-11-01T19:11:21.000Z');
  });

  it('takes a timestamp without milliseconds as whole seconds', () => {
    expect(instant('2018-10-09T21:29:57Z')).toBe('2018-10-09T21:29:57.000Z');
  });

  it('keeps milliseconds and drops digits beyond them', () => {
    expect(instant('2019-11-01T19:11:21.4Z')).toBe('2019-11-01T19:11:21.400Z');
    expect(instant('2019-11-01T19:11:21.419999Z')).toBe('2019-11-01T19:11:21.419Z');
    expect(instant('2019-11-01T19:11:21.123456789-06:00')).toBe('2019-11-02T01:11:21.123Z');
  });

  it('crosses day, month and year boundaries with the offset', () => {
    expect(instant('2019-12-31T23:30:00-01:00')).toBe('2020-01-01T00:30:00.000Z');
    expect(instant('2020-03-01T00:10:00+01:00')).toBe('2020-02-29T23:10:00.000Z');
  });

  it('throws with the reason for text that is not an instant', () => {
    expect(() => parseInstant('yesterday')).toThrow(/not an ISO-8601 timestamp/);
  });
});

describe('instantProblem', () => {
  it('accepts what parseInstant reads', () => {
    expect(instantProblem('2020-03-30T11:18:51-06:00')).toBeNull();
  });

  it.each([
    ['2019-11-01T19:11:21', 'no offset'],
    ['2019-11-01T19:11:21.419', 'no offset, with millis'],
    ['2019-11-01', 'a date alone'],
    ['1572635481419', 'epoch milliseconds'],
    ['Fri, 01 Nov 2019 19:11:21 GMT', 'an HTTP date'],
    ['', 'an empty string'],
  ])('refuses %j (%s) as not a timestamp with an offset', (text) => {
    expect(instantProblem(text)).toMatch(/not an ISO-8601 timestamp with a UTC offset/);
  });

  it.each([
    ['2019-02-29T00:00:00Z', 'February 29 in a common year'],
    ['2019-13-01T00:00:00Z', 'month 13'],
    ['2019-04-31T00:00:00Z', 'April 31'],
    ['2019-11-01T24:00:00Z', 'hour 24'],
    ['2019-11-01T23:60:00Z', 'minute 60'],
    ['2019-11-01T23:59:60Z', 'second 60'],
  ])('refuses %j (%s) as not a real date and time', (text) => {
    expect(instantProblem(text)).toMatch(/not a real calendar date and time/);
  });

  it('refuses an impossible offset', () => {
    expect(instantProblem('2019-11-01T10:00:00+25:00')).toMatch(/impossible UTC offset/);
    expect(instantProblem('2019-11-01T10:00:00+05:75')).toMatch(/impossible UTC offset/);
  });

  it('refuses instants a DATETIME(3) column cannot hold', () => {
    expect(instantProblem('0999-12-31T23:59:59Z')).not.toBeNull();
    expect(instantProblem('9999-12-31T23:59:59-01:00')).toMatch(/outside the years/);
  });
});

describe('formatInstant, later and earlier', () => {
  it('formats as UTC with milliseconds', () => {
    expect(formatInstant(parseInstant('2020-03-30T11:18:51-06:00'))).toBe('2020-03-30T17:18:51.000Z');
  });

  it('formats every instant exactly as toISOString does, whatever its year', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true }), (date) => {
        expect(formatInstant(date)).toBe(date.toISOString());
      }),
      { numRuns: 2000 },
    );
    for (const text of ['1000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '2024-02-29T09:05:07.040Z']) {
      expect(formatInstant(new Date(text))).toBe(text);
    }
    expect(formatInstant(new Date(Date.UTC(999, 11, 31, 23, 59, 59, 999)))).toBe('0999-12-31T23:59:59.999Z');
    expect(formatInstant(new Date(Date.UTC(10000, 0, 1)))).toBe('+010000-01-01T00:00:00.000Z');
    expect(() => formatInstant(new Date(NaN))).toThrow(RangeError);
  });

  it('compare instants, not the strings they came from', () => {
    // As strings "…11:18:51-06:00" < "…12:00:00Z", as instants it is the later one.
    const a = parseInstant('2020-03-30T11:18:51-06:00');
    const b = parseInstant('2020-03-30T12:00:00Z');
    expect(later(a, b)).toBe(a);
    expect(earlier(a, b)).toBe(b);
    expect(later(null, b)).toBe(b);
    expect(earlier(a, undefined)).toBe(a);
  });
});
