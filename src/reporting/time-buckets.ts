// Calendar buckets (DAY, WEEK from Monday, MONTH) in an IANA time zone, in JS and as SQL
// that maps a UTC DATETIME(3) column to its bucket's first instant, identically on MySQL
// and SQLite. Buckets start at the zone's local midnight, so a day lasts 23 or 25 hours
// across a daylight-saving change (Lord Howe's is 30 minutes).
//
// The SQL never uses the database's time-zone support: MariaDB ships without zone tables
// (CONVERT_TZ with a zone name gives NULL) and SQLite has none. A zone's UTC offset is
// constant between two transitions, so JS (Intl, the one tz database we trust) finds the
// transitions over the instants the query can see, and the SQL is a CASE over those
// segments with plain fixed-offset arithmetic in each. Within a segment, a bucket whose
// local midnight lies in the segment starts at `midnight - offset`; the one bucket that
// began before the segment did (its midnight had the previous offset) is a literal that
// JS computed.
import { BadInputError } from '../errors';

export type BucketUnit = 'DAY' | 'WEEK' | 'MONTH';
export type SqlDialect = 'mysql' | 'sqlite';

const SECOND = 1000;
const DAY_MS = 86_400 * SECOND;

/** A validated IANA time zone with a cached formatter: what every function here takes. */
export interface TimeZone {
  readonly name: string;
  /** Local wall-clock fields at an instant. */
  readonly format: Intl.DateTimeFormat;
}

const zones = new Map<string, TimeZone>();

/**
 * The zone called `name` (default UTC); a BadInputError at `path` when Intl does not know
 * it, so a typo is a 400 naming the argument, never a 500.
 */
export function timeZoneOf(name: string | null | undefined, path = 'timeZone'): TimeZone {
  const wanted = name ?? 'UTC';
  let zone = zones.get(wanted);
  if (zone) return zone;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: wanted,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new BadInputError(
      `"${wanted.slice(0, 80)}" is not an IANA time zone (e.g. America/Chicago, Europe/Berlin, UTC)`,
      path,
    );
  }
  // The canonical name (Intl takes any letter case and old aliases: US/Central is
  // America/Chicago): the transitions below are cached by it, so another spelling of a
  // zone is not a fresh scan, and a cursor's scope is the same for every spelling.
  zone = { name: format.resolvedOptions().timeZone, format };
  if (zones.size > 1000) zones.clear();
  zones.set(wanted, zone);
  return zone;
}

interface LocalDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
}

/** The wall clock at `ms`, as the UTC milliseconds of the same fields (seconds resolution). */
function wallClock(zone: TimeZone, ms: number): number {
  const fields: Record<string, string> = {};
  for (const part of zone.format.formatToParts(new Date(ms))) fields[part.type] = part.value;
  const year = fields.era === 'BC' || fields.era === 'B' ? 1 - Number(fields.year) : Number(fields.year);
  const wall = new Date(0);
  wall.setUTCFullYear(year, Number(fields.month) - 1, Number(fields.day));
  wall.setUTCHours(Number(fields.hour), Number(fields.minute), Number(fields.second), 0);
  return wall.getTime();
}

/** The zone's UTC offset at `ms`, in milliseconds (a whole number of seconds). */
export function offsetAt(zone: TimeZone, ms: number): number {
  const whole = Math.floor(ms / SECOND) * SECOND;
  return wallClock(zone, whole) - whole;
}

function localDateAt(zone: TimeZone, ms: number): LocalDate {
  const wall = new Date(ms + offsetAt(zone, ms));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

const wallMidnight = (date: LocalDate) => {
  const d = new Date(0);
  d.setUTCFullYear(date.year, date.month - 1, date.day);
  return d.getTime();
};

const dateOfWall = (wall: number): LocalDate => {
  const d = new Date(wall);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
};

/** The local date that names the bucket `date` falls in (the Monday, the 1st). */
function bucketDate(date: LocalDate, unit: BucketUnit): LocalDate {
  if (unit === 'DAY') return date;
  if (unit === 'MONTH') return { ...date, day: 1 };
  const wall = wallMidnight(date);
  const sinceMonday = (new Date(wall).getUTCDay() + 6) % 7;
  return dateOfWall(wall - sinceMonday * DAY_MS);
}

function nextBucketDate(date: LocalDate, unit: BucketUnit): LocalDate {
  if (unit === 'MONTH')
    return date.month === 12 ? { year: date.year + 1, month: 1, day: 1 } : { ...date, month: date.month + 1 };
  return dateOfWall(wallMidnight(date) + (unit === 'WEEK' ? 7 : 1) * DAY_MS);
}

// ---- transitions ----------------------------------------------------------------------

// A week: the shortest offset excursions on record (Ramadan suspensions of summer time,
// wartime double summer time) last longer, so no change hides between two samples.
const SCAN_STEP = 7 * DAY_MS;
const transitionsByYear = new Map<string, number[]>();

/**
 * The instants in [from, to) where the zone's offset changes, ascending. Samples weekly
 * and bisects each change to the second; cached per zone and UTC year, since every query
 * over a range asks again.
 */
export function transitions(zone: TimeZone, from: number, to: number): number[] {
  const out: number[] = [];
  const firstYear = new Date(from).getUTCFullYear();
  const lastYear = new Date(to).getUTCFullYear();
  for (let year = firstYear; year <= lastYear; year++) {
    for (const t of transitionsOfYear(zone, year)) if (t >= from && t < to) out.push(t);
  }
  return out;
}

function transitionsOfYear(zone: TimeZone, year: number): number[] {
  const key = `${zone.name}\u0000${year}`;
  let found = transitionsByYear.get(key);
  if (found) return found;
  found = [];
  const start = new Date(0);
  start.setUTCFullYear(year, 0, 1);
  const end = new Date(0);
  end.setUTCFullYear(year + 1, 0, 1);
  let t = start.getTime();
  let offset = offsetAt(zone, t);
  while (t < end.getTime()) {
    const next = Math.min(t + SCAN_STEP, end.getTime());
    const nextOffset = offsetAt(zone, next);
    if (nextOffset !== offset) found.push(bisect(zone, t, next, nextOffset));
    t = next;
    offset = nextOffset;
  }
  // The change may sit exactly on 1 January 00:00 UTC: seen from the previous year's scan.
  if (offsetAt(zone, start.getTime() - SECOND) !== offsetAt(zone, start.getTime())) found.unshift(start.getTime());
  // Room for every canonical zone (~420) over the exact years (200): a caller cycling
  // through zones cannot make each query scan again (~10 MB when all are held).
  if (transitionsByYear.size > 100_000) transitionsByYear.clear();
  transitionsByYear.set(key, found);
  return found;
}

/** The first second in (lo, hi] whose offset is `after` (the offset at lo differs). */
function bisect(zone: TimeZone, lo: number, hi: number, after: number): number {
  let a = lo / SECOND,
    b = hi / SECOND;
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2);
    if (offsetAt(zone, mid * SECOND) === after) b = mid;
    else a = mid;
  }
  return b * SECOND;
}

// ---- bucket starts in JS -------------------------------------------------------------

/**
 * The first instant of local date `date`: its midnight, or when the zone skipped that
 * midnight (a change at 00:00), the change itself. With a repeated midnight, the first.
 */
function startOfLocalDate(zone: TimeZone, date: LocalDate): number {
  const wall = wallMidnight(date);
  const around = transitions(zone, wall - 2 * DAY_MS, wall + 2 * DAY_MS);
  const bounds = [wall - 2 * DAY_MS, ...around, wall + 2 * DAY_MS];
  let skippedTo: number | null = null;
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [from, to] = [bounds[i], bounds[i + 1]];
    const offset = offsetAt(zone, from);
    const candidate = wall - offset;
    if (candidate >= from && candidate < to) return candidate;
    if (skippedTo === null && from + offset > wall) skippedTo = from;
  }
  if (skippedTo === null) throw new Error(`no start found for ${JSON.stringify(date)} in ${zone.name}`);
  return skippedTo;
}

/** The first instant of the DAY/WEEK/MONTH containing `instant`, in `zone`. */
export function bucketStart(instant: Date | number, zone: TimeZone, unit: BucketUnit): Date {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  return new Date(startOfLocalDate(zone, bucketDate(localDateAt(zone, ms), unit)));
}

/** The first instant of the bucket after the one starting at `start`. */
export function nextBucketStart(start: Date | number, zone: TimeZone, unit: BucketUnit): Date {
  const ms = typeof start === 'number' ? start : start.getTime();
  return new Date(startOfLocalDate(zone, nextBucketDate(bucketDate(localDateAt(zone, ms), unit), unit)));
}

// ---- bucket starts in SQL ------------------------------------------------------------

/** `2024-03-10 06:00:00.000`: how both databases spell a DATETIME(3) in UTC. */
export function sqlDatetime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
}

/** A DATETIME(3) value read back from either database (a Date from mysql2, text from SQLite). */
export function readDatetime(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  const text = String(value);
  const date = new Date(/[zZ]$|[+-]\d\d:\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
  if (Number.isNaN(date.getTime())) throw new Error(`not a DATETIME: ${text}`);
  return date;
}

function literal(dialect: SqlDialect, ms: number): string {
  return dialect === 'mysql' ? `CAST('${sqlDatetime(ms)}' AS DATETIME(3))` : `'${sqlDatetime(ms)}'`;
}

/** `column`'s bucket start when the zone's offset is `offset` ms throughout. */
function fixedOffsetBucket(dialect: SqlDialect, column: string, unit: BucketUnit, offset: number): string {
  const seconds = offset / SECOND;
  if (dialect === 'sqlite') {
    const sign = (n: number) => (n < 0 ? `${n}` : `+${n}`);
    const unitModifiers = { DAY: [], WEEK: [`'weekday 0'`, `'-6 days'`], MONTH: [`'start of month'`] }[unit];
    const modifiers = [`'${sign(seconds)} seconds'`, `'start of day'`, ...unitModifiers, `'${sign(-seconds)} seconds'`];
    return `strftime('%Y-%m-%d %H:%M:%f', ${column}, ${modifiers.join(', ')})`;
  }
  const local = seconds === 0 ? column : `TIMESTAMPADD(SECOND, ${seconds}, ${column})`;
  const day = `DATE(${local})`;
  const start = {
    DAY: day,
    WEEK: `${day} - INTERVAL WEEKDAY(${local}) DAY`,
    MONTH: `${day} - INTERVAL (DAYOFMONTH(${local}) - 1) DAY`,
  }[unit];
  return `CAST(TIMESTAMPADD(SECOND, ${-seconds}, ${start}) AS DATETIME(3))`;
}

// Instants outside these years get the offset of the nearest segment: a stray DATETIME
// of 9999 must not make the SQL list 16,000 daylight-saving changes.
const EXACT_FROM = Date.UTC(1900, 0, 1);
const EXACT_TO = Date.UTC(2100, 0, 1);

/**
 * SQL for the bucket start of the UTC DATETIME(3) `column` (NULL stays NULL), exact for
 * instants in [range.min, range.max] (within 1900–2099): the transitions are those of
 * that range. Instants outside it (rows written after the range was read) get their
 * offset from the nearest segment. Segments are chosen by a balanced CASE tree, so a row
 * costs log₂(segments) comparisons. Text of the result: DATETIME(3) on MySQL,
 * `YYYY-MM-DD HH:MM:SS.SSS` on SQLite, so it compares with sqlDatetime() on both.
 */
export function bucketSql(
  dialect: SqlDialect,
  column: string,
  zone: TimeZone,
  unit: BucketUnit,
  range: { min: Date; max: Date } | null,
): string {
  const clamp = (ms: number) => Math.min(EXACT_TO, Math.max(EXACT_FROM, ms));
  const min = clamp(range?.min.getTime() ?? Date.now());
  const max = Math.max(clamp(range?.max.getTime() ?? min), min);
  const starts = [min, ...transitions(zone, min + 1, max + 1)];
  const segments = starts.map((from) => {
    const offset = offsetAt(zone, from);
    const first = bucketStart(from, zone, unit).getTime();
    const arithmetic = fixedOffsetBucket(dialect, column, unit, offset);
    // The segment's first bucket began with another offset when its midnight is not `wall - offset`.
    const firstWall = wallMidnight(bucketDate(localDateAt(zone, from), unit));
    if (first === firstWall - offset) return { from, sql: arithmetic };
    const second = nextBucketStart(first, zone, unit).getTime();
    const sql =
      `CASE WHEN ${column} >= '${sqlDatetime(first)}' AND ${column} < '${sqlDatetime(second)}' ` +
      `THEN ${literal(dialect, first)} ELSE ${arithmetic} END`;
    return { from, sql };
  });
  const tree = (lo: number, hi: number): string => {
    if (hi - lo === 1) return segments[lo].sql;
    const mid = Math.floor((lo + hi) / 2);
    return `CASE WHEN ${column} < '${sqlDatetime(segments[mid].from)}' THEN ${tree(lo, mid)} ELSE ${tree(mid, hi)} END`;
  };
  return `CASE WHEN ${column} IS NULL THEN NULL ELSE ${tree(0, segments.length)} END`;
}
