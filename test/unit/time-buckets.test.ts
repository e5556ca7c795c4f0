// Calendar buckets in JS: local midnight in an IANA zone, across daylight-saving changes
// (an hour in Chicago and Berlin, 30 minutes on Lord Howe, a skipped midnight in
// Santiago), in zones without DST, and in UTC.
import fc from 'fast-check';
import { BadInputError } from '../../src/errors';
import {
  bucketSql,
  bucketStart,
  BucketUnit,
  nextBucketStart,
  offsetAt,
  timeZoneOf,
  transitions,
} from '../../src/reporting/time-buckets';

const start = (instant: string, zone: string, unit: BucketUnit = 'DAY') =>
  bucketStart(new Date(instant), timeZoneOf(zone), unit).toISOString();
const hoursOfDay = (instant: string, zone: string) => {
  const first = bucketStart(new Date(instant), timeZoneOf(zone), 'DAY');
  return (nextBucketStart(first, timeZoneOf(zone), 'DAY').getTime() - first.getTime()) / 3_600_000;
};

/** The wall clock in `zone` at `date`, as Intl spells it: what a bucket start must read 00:00 on. */
const wallClock = (date: Date, zone: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    weekday: 'short',
  }).format(date);

describe('timeZoneOf', () => {
  it('refuses an unknown zone with a BadInputError naming the argument', () => {
    expect(() => timeZoneOf('Mars/Olympus_Mons')).toThrow(BadInputError);
    expect(() => timeZoneOf('Mars/Olympus_Mons')).toThrow(/^timeZone: "Mars\/Olympus_Mons" is not an IANA time zone/);
    expect(() => timeZoneOf('', 'commentStats.timeZone')).toThrow(/^commentStats\.timeZone: /);
  });

  it('names a zone however it is spelled by its canonical name, and computes its changes once for all spellings', () => {
    // Intl takes any letter case and the old aliases: without this each of 2^15 spellings
    // of America/Chicago cost a fresh scan (~0.2 s of CPU over 1900–2099) and a cache entry.
    expect(['america/chicago', 'AMERICA/CHICAGO', 'US/Central'].map((name) => timeZoneOf(name).name)).toEqual([
      'America/Chicago',
      'America/Chicago',
      'America/Chicago',
    ]);
    const range = { min: new Date('1950-01-01T00:00:00Z'), max: new Date('2049-12-31T00:00:00Z') };
    bucketSql('mysql', 's.submitted_at', timeZoneOf('America/Chicago'), 'DAY', range);
    const other = timeZoneOf('aMeRiCa/cHiCaGo');
    const formatted = jest.spyOn(other.format, 'formatToParts');
    bucketSql('mysql', 's.submitted_at', other, 'DAY', range);
    // A scan of 100 years samples the offset ~5,200 times; a cached one, a few per segment.
    expect(formatted.mock.calls.length).toBeLessThan(2000);
  });

  it('defaults to UTC', () => {
    expect(timeZoneOf(null).name).toBe('UTC');
    expect(bucketStart(new Date('2024-03-10T23:59:59.999Z'), timeZoneOf(undefined), 'DAY').toISOString()).toBe(
      '2024-03-10T00:00:00.000Z',
    );
  });
});

describe('America/Chicago', () => {
  it('finds the 2024 changes to the second', () => {
    const zone = timeZoneOf('America/Chicago');
    expect(
      transitions(zone, Date.parse('2024-01-01'), Date.parse('2025-01-01')).map((t) => new Date(t).toISOString()),
    ).toEqual(['2024-03-10T08:00:00.000Z', '2024-11-03T07:00:00.000Z']);
    expect(offsetAt(zone, Date.parse('2024-03-10T07:59:59Z'))).toBe(-6 * 3_600_000);
    expect(offsetAt(zone, Date.parse('2024-03-10T08:00:00Z'))).toBe(-5 * 3_600_000);
  });

  it('starts the spring-forward day at CST midnight and the next at CDT midnight: 23 hours', () => {
    expect(start('2024-03-10T06:00:00Z', 'America/Chicago')).toBe('2024-03-10T06:00:00.000Z');
    expect(start('2024-03-10T05:59:59.999Z', 'America/Chicago')).toBe('2024-03-09T06:00:00.000Z');
    expect(start('2024-03-10T08:30:00Z', 'America/Chicago')).toBe('2024-03-10T06:00:00.000Z');
    expect(start('2024-03-11T04:59:59.999Z', 'America/Chicago')).toBe('2024-03-10T06:00:00.000Z');
    expect(start('2024-03-11T05:00:00Z', 'America/Chicago')).toBe('2024-03-11T05:00:00.000Z');
    expect(hoursOfDay('2024-03-10T12:00:00Z', 'America/Chicago')).toBe(23);
  });

  it('gives the fall-back day 25 hours', () => {
    expect(start('2024-11-03T05:00:00Z', 'America/Chicago')).toBe('2024-11-03T05:00:00.000Z');
    expect(start('2024-11-04T05:59:59.999Z', 'America/Chicago')).toBe('2024-11-03T05:00:00.000Z');
    expect(start('2024-11-04T06:00:00Z', 'America/Chicago')).toBe('2024-11-04T06:00:00.000Z');
    expect(hoursOfDay('2024-11-03T12:00:00Z', 'America/Chicago')).toBe(25);
  });

  it('starts weeks on Monday and months on the 1st, at the midnight of that day', () => {
    // Sunday 10 March belongs to the week of Monday 4 March (CST).
    expect(start('2024-03-10T20:00:00Z', 'America/Chicago', 'WEEK')).toBe('2024-03-04T06:00:00.000Z');
    expect(start('2024-03-11T05:00:00Z', 'America/Chicago', 'WEEK')).toBe('2024-03-11T05:00:00.000Z');
    expect(start('2024-11-15T00:00:00Z', 'America/Chicago', 'MONTH')).toBe('2024-11-01T05:00:00.000Z');
    expect(start('2024-12-01T05:59:59Z', 'America/Chicago', 'MONTH')).toBe('2024-11-01T05:00:00.000Z');
    expect(start('2024-12-01T06:00:00Z', 'America/Chicago', 'MONTH')).toBe('2024-12-01T06:00:00.000Z');
    expect(start('2025-01-01T05:59:59Z', 'America/Chicago', 'MONTH')).toBe('2024-12-01T06:00:00.000Z');
    expect(start('2025-01-01T06:00:00Z', 'America/Chicago', 'MONTH')).toBe('2025-01-01T06:00:00.000Z');
  });
});

describe('Europe/Berlin', () => {
  it('gives 31 March 2024 23 hours and 27 October 2024 25 hours', () => {
    expect(start('2024-03-31T12:00:00Z', 'Europe/Berlin')).toBe('2024-03-30T23:00:00.000Z');
    expect(start('2024-03-31T22:00:00Z', 'Europe/Berlin')).toBe('2024-03-31T22:00:00.000Z');
    expect(hoursOfDay('2024-03-31T12:00:00Z', 'Europe/Berlin')).toBe(23);
    expect(start('2024-10-27T12:00:00Z', 'Europe/Berlin')).toBe('2024-10-26T22:00:00.000Z');
    expect(start('2024-10-27T22:59:59Z', 'Europe/Berlin')).toBe('2024-10-26T22:00:00.000Z');
    expect(start('2024-10-27T23:00:00Z', 'Europe/Berlin')).toBe('2024-10-27T23:00:00.000Z');
    expect(hoursOfDay('2024-10-27T12:00:00Z', 'Europe/Berlin')).toBe(25);
  });
});

describe('Australia/Lord_Howe (a 30-minute change)', () => {
  it('gives 7 April 2024 24.5 hours and 6 October 2024 23.5 hours', () => {
    const zone = timeZoneOf('Australia/Lord_Howe');
    expect(
      transitions(zone, Date.parse('2024-01-01'), Date.parse('2025-01-01')).map((t) => new Date(t).toISOString()),
    ).toEqual(['2024-04-06T15:00:00.000Z', '2024-10-05T15:30:00.000Z']);
    expect(start('2024-04-07T00:00:00Z', 'Australia/Lord_Howe')).toBe('2024-04-06T13:00:00.000Z');
    expect(start('2024-04-07T13:30:00Z', 'Australia/Lord_Howe')).toBe('2024-04-07T13:30:00.000Z');
    expect(hoursOfDay('2024-04-07T00:00:00Z', 'Australia/Lord_Howe')).toBe(24.5);
    expect(start('2024-10-06T00:00:00Z', 'Australia/Lord_Howe')).toBe('2024-10-05T13:30:00.000Z');
    expect(start('2024-10-06T13:00:00Z', 'Australia/Lord_Howe')).toBe('2024-10-06T13:00:00.000Z');
    expect(hoursOfDay('2024-10-06T00:00:00Z', 'Australia/Lord_Howe')).toBe(23.5);
  });
});

describe('zones without daylight saving, and UTC', () => {
  it('starts Kolkata days at 18:30 UTC, every day 24 hours', () => {
    const zone = timeZoneOf('Asia/Kolkata');
    expect(transitions(zone, Date.parse('2020-01-01'), Date.parse('2026-01-01'))).toEqual([]);
    expect(start('2024-06-14T18:29:59Z', 'Asia/Kolkata')).toBe('2024-06-13T18:30:00.000Z');
    expect(start('2024-06-14T18:30:00Z', 'Asia/Kolkata')).toBe('2024-06-14T18:30:00.000Z');
    expect(start('2024-06-20T00:00:00Z', 'Asia/Kolkata', 'WEEK')).toBe('2024-06-16T18:30:00.000Z');
    expect(hoursOfDay('2024-03-31T12:00:00Z', 'Asia/Kolkata')).toBe(24);
  });

  it('buckets UTC by the UTC calendar', () => {
    expect(start('2024-02-29T23:59:59.999Z', 'UTC')).toBe('2024-02-29T00:00:00.000Z');
    expect(start('2024-02-29T23:59:59.999Z', 'UTC', 'WEEK')).toBe('2024-02-26T00:00:00.000Z');
    expect(start('2024-02-29T23:59:59.999Z', 'UTC', 'MONTH')).toBe('2024-02-01T00:00:00.000Z');
    expect(start('2024-12-31T23:59:59.999Z', 'UTC', 'MONTH')).toBe('2024-12-01T00:00:00.000Z');
  });
});

describe('a zone that skips midnight (America/Santiago, 8 September 2024)', () => {
  it('starts the day at the change, the first instant that day exists', () => {
    // 00:00 -04 became 01:00 -03 at 04:00 UTC.
    expect(start('2024-09-08T15:00:00Z', 'America/Santiago')).toBe('2024-09-08T04:00:00.000Z');
    expect(start('2024-09-08T03:59:59Z', 'America/Santiago')).toBe('2024-09-07T04:00:00.000Z');
    expect(hoursOfDay('2024-09-08T15:00:00Z', 'America/Santiago')).toBe(23);
  });
});

describe('any instant, in any of these zones', () => {
  const zones = ['America/Chicago', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC', 'America/Santiago'];
  const units: BucketUnit[] = ['DAY', 'WEEK', 'MONTH'];

  it('falls in [bucket start, next bucket start), and the bucket starts at local midnight of a Monday / 1st', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2015-01-01'), max: Date.parse('2030-01-01') }),
        fc.constantFrom(...zones),
        fc.constantFrom(...units),
        (ms, zoneName, unit) => {
          const zone = timeZoneOf(zoneName);
          const first = bucketStart(ms, zone, unit);
          const next = nextBucketStart(first, zone, unit);
          expect(first.getTime()).toBeLessThanOrEqual(ms);
          expect(next.getTime()).toBeGreaterThan(ms);
          const wall = wallClock(first, zoneName);
          // Midnight, or 01:00 on the day Santiago skips it.
          expect(wall).toMatch(zoneName === 'America/Santiago' ? /, 0[01]:00:00$/ : /, 00:00:00$/);
          if (unit === 'WEEK') expect(wall.startsWith('Mon')).toBe(true);
          if (unit === 'MONTH') expect(wall).toMatch(/^\w{3}, 01\//);
          // The instant before the start is in the previous bucket.
          expect(bucketStart(first.getTime() - 1, zone, unit).getTime()).toBeLessThan(first.getTime());
        },
      ),
      { numRuns: 2000 },
    );
  });
});
