// Generated Canvas live events for the benchmarks: the seed mix of the eight fixture
// types, every entity id distinct per corpus (an `idBase` keeps corpora apart), clocks
// moving forward with assorted UTC offsets, text of realistic length (some non-ASCII),
// and a share of exact re-deliveries (Canvas retries). Deterministic for a given seed,
// and streamed: a million events never sit in memory at once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES_DIR = join(__dirname, '../../test/fixtures/canvas-live-events');

/** The seed mix: how often each fixture type appears (weights, out of 100). */
export const EVENT_MIX: Record<string, number> = {
  submission_created: 15,
  submission_updated: 35,
  submission_comment_created: 20,
  conversation_created: 5,
  conversation_forwarded: 3,
  conversation_message_created: 12,
  lti_resource_link_created: 5,
  lti_resource_link_updated: 5,
};

export interface CorpusOptions {
  /** Events to produce, duplicates included. */
  count: number;
  seed?: number;
  /** Local ids start above this: corpora with different bases never share an id. */
  idBase?: number;
  /** Share of lines that re-deliver an earlier event byte for byte (default 0.02). */
  duplicateRate?: number;
  /** Courses the events spread over (default: one per 2,000 events, at least 5). */
  courses?: number;
}

type Json = Record<string, unknown>;

const fixtures = new Map<string, { metadata: Json; body: Json }>();
function fixture(name: string): { metadata: Json; body: Json } {
  let f = fixtures.get(name);
  if (!f) {
    f = JSON.parse(readFileSync(join(FIXTURES_DIR, `${name}.json`), 'utf8')) as { metadata: Json; body: Json };
    fixtures.set(name, f);
  }
  return f;
}

/** mulberry32: small, fast, good enough to vary test data reproducibly. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SHARD = '2107';
/** Global id on shard 2107 of a local id (string arithmetic: local ids stay below 10^13). */
export const globalOf = (local: number): string => SHARD + String(local).padStart(13, '0');
export const ROOT_ACCOUNT = globalOf(1);

const T0 = Date.parse('2024-09-02T08:00:00.000Z');
const OFFSETS = [0, -360, -300, 60, 120, 330, 600];
const WORDS = (
  'the essay argues that photosynthesis rate depends on light intensity and temperature; ' +
  'see attached data table figure two résumé naïve café 数据 分析 良好 😀 👍 excellent work please revise the conclusion'
).split(' ');

function iso(ms: number, offsetMinutes: number, millis: boolean): string {
  const wall = new Date(ms + offsetMinutes * 60_000).toISOString();
  const head = millis ? wall.slice(0, 23) : wall.slice(0, 19);
  if (offsetMinutes === 0) return `${head}Z`;
  const abs = Math.abs(offsetMinutes);
  const sign = offsetMinutes < 0 ? '-' : '+';
  return `${head}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The event names in mix order, for drawing by weight. */
const MIX_TABLE: string[] = Object.entries(EVENT_MIX).flatMap(([name, weight]) => Array<string>(weight).fill(name));

/** Yields one NDJSON line (no newline) per event. */
export function* corpusLines(options: CorpusOptions): Generator<string> {
  const rand = random(options.seed ?? 1);
  const base = options.idBase ?? 10_000_000;
  const courseCount = options.courses ?? Math.max(5, Math.ceil(options.count / 2000));
  const duplicateRate = options.duplicateRate ?? 0.02;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const sentence = (min: number, max: number) => {
    const n = min + Math.floor(rand() * (max - min));
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(pick(WORDS));
    return out.join(' ');
  };
  const counters = { submission: 0, comment: 0, conversation: 0, message: 0, link: 0, request: 0 };
  const next = (kind: keyof typeof counters) => base + ++counters[kind];
  const existing = (kind: keyof typeof counters) =>
    counters[kind] === 0 ? next(kind) : base + 1 + Math.floor(rand() * counters[kind]);
  const recent: string[] = [];

  for (let i = 0; i < options.count; i++) {
    if (recent.length > 0 && rand() < duplicateRate) {
      yield pick(recent);
      continue;
    }
    const name = pick(MIX_TABLE);
    const f = fixture(name);
    const at = T0 + i * 1500 + Math.floor(rand() * 1000);
    const offset = pick(OFFSETS);
    const courseLocal = base + 1 + Math.floor(rand() * courseCount);
    const userLocal = base + 1 + Math.floor(rand() * 5000);
    const metadata: Json = {
      ...f.metadata,
      event_time: iso(at, 0, true),
      request_id: `${(base + ++counters.request).toString(16)}-${i.toString(16)}-4c19-a6c5-7ee1bf3ed295`,
      user_id: globalOf(userLocal),
      root_account_id: ROOT_ACCOUNT,
    };
    if (name.startsWith('submission') || name.startsWith('lti_')) {
      Object.assign(metadata, {
        context_type: 'Course',
        context_id: globalOf(courseLocal),
        context_account_id: globalOf(79 + (courseLocal % 3)),
        context_sis_source_id: `SIS-${courseLocal}`,
      });
    }
    let body: Json;
    switch (name) {
      case 'submission_created':
      case 'submission_updated': {
        const id = name === 'submission_created' ? next('submission') : existing('submission');
        const state = pick(['submitted', 'graded', 'pending_review', 'unsubmitted']);
        body = {
          ...f.body,
          submission_id: globalOf(id),
          user_id: globalOf(userLocal),
          assignment_id: globalOf(base + (id % 400)),
          attempt: 1 + Math.floor(rand() * 3),
          body: sentence(20, 120),
          grade: state === 'graded' ? pick(['A', 'B', 'C', 'F', 'complete']) : null,
          score: state === 'graded' ? Math.round(rand() * 1000) / 10 : null,
          late: rand() < 0.1,
          missing: rand() < 0.05,
          workflow_state: state,
          submitted_at: iso(at - 60_000, offset, rand() < 0.5),
          updated_at: iso(at, offset, rand() < 0.5),
        };
        break;
      }
      case 'submission_comment_created':
        body = {
          ...f.body,
          submission_comment_id: String(next('comment')),
          submission_id: String(existing('submission')),
          user_id: String(userLocal),
          body: sentence(5, 60),
          created_at: iso(at, offset, true),
          attachment_ids: rand() < 0.3 ? [String(base + i)] : [],
        };
        break;
      case 'conversation_created':
      case 'conversation_forwarded':
        body = {
          conversation_id: String(name === 'conversation_created' ? next('conversation') : existing('conversation')),
          updated_at: iso(at, offset, false),
        };
        break;
      case 'conversation_message_created':
        body = {
          author_id: String(userLocal),
          conversation_id: String(existing('conversation')),
          created_at: iso(at, offset, false),
          message_id: String(next('message')),
        };
        break;
      default: {
        const link = name === 'lti_resource_link_created' ? next('link') : existing('link');
        body = {
          ...f.body,
          resource_link_id: globalOf(link),
          resource_link_uuid: `c38a6baf-4d77-43ac-99f8-${String(link).padStart(12, '0')}`,
          context_id: globalOf(courseLocal),
          url: `https://tool.example.edu/lti/launch/${link}`,
          workflow_state: rand() < 0.9 ? 'active' : 'deleted',
        };
      }
    }
    const line = JSON.stringify({ metadata, body });
    if (recent.length < 256) recent.push(line);
    else recent[Math.floor(rand() * 256)] = line;
    yield line;
  }
}

/** Lines in groups of `size`, each group joined as an NDJSON request body. */
export function* ndjsonBatches(lines: Iterable<string>, size: number): Generator<{ body: string; count: number }> {
  let batch: string[] = [];
  for (const line of lines) {
    batch.push(line);
    if (batch.length === size) {
      yield { body: batch.join('\n') + '\n', count: batch.length };
      batch = [];
    }
  }
  if (batch.length > 0) yield { body: batch.join('\n') + '\n', count: batch.length };
}
