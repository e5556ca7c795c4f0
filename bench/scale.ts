// npm run bench:scale [-- --sqlite] [--runs 5] [--scale 100000,1000000] [--10m]
// Read latency as the store grows: a first page, a deep page (via cursor), a filtered
// page and a point lookup over HTTP, at each size. Loading: a seed corpus of generated
// events goes through the real ingest path (EventLog.append, 1,000 a transaction); then
// its rows — event log and projections — are copied with shifted ids by the bare driver
// (multi-row INSERTs, 1,000 events a transaction) until the log holds the size asked.
// The copies' payload text still names the seed's ids: the read models are what these
// queries read, and the event log's rows keep their size and shape.
import { createHash } from 'node:crypto';
import { buildProjectorRegistry } from '../src/modules';
import { toEnvelopedEvent } from '../src/ingest/envelope';
import { EventLog, IncomingItem } from '../src/ingest/event-log';
import { parseLossless } from '../src/canvas/lossless-json';
import { BenchServer, startBenchServer } from './lib/child';
import { corpusLines } from './lib/corpus';
import { benchDataSource, rawConnection, RawConnection, snapshot, Snapshot } from './lib/db';
import { BenchOptions, load1, parseOptions, waitForQuiet } from './lib/options';
import { saveSection } from './lib/results';
import { cell, Figure, percentile, printTable, repeat } from './lib/stats';
import { freshDatabase } from './ingest';
import { runCli } from '../src/cli/runtime';

export const SCALE_QUERIES = ['firstPage', 'deepPage', 'filteredPage', 'pointLookup'] as const;
export type ScaleQuery = (typeof SCALE_QUERIES)[number];

export interface ScaleRow {
  events: number;
  submissions: number;
  loadSeconds: number;
  p50: Record<ScaleQuery, Figure>;
}

export const TARGETS = { growth: 1.5 };

const GLOBAL = 10n ** 13n;
/** Copy k's global ids move up by k·10^10 (still on their shard), sequence numbers by k·10^7. */
const GLOBAL_STEP = 10n ** 10n;
const SEQUENCE_STEP = 10n ** 7n;

/** Which columns hold ids (BIGINT), per table, from the entity metadata. */
async function idColumns(url: string): Promise<Map<string, Set<string>>> {
  const ds = await benchDataSource(url, undefined, false);
  const out = new Map<string, Set<string>>();
  for (const m of ds.entityMetadatas) {
    out.set(m.tableName, new Set(m.columns.filter((c) => c.type === 'bigint').map((c) => c.databaseName)));
  }
  await ds.destroy();
  return out;
}

function shifted(value: unknown, k: bigint): unknown {
  if (value === null || value === undefined) return value;
  const n = BigInt(value as string | bigint);
  const moved = n + k * (n >= GLOBAL ? GLOBAL_STEP : SEQUENCE_STEP);
  return typeof value === 'bigint' ? moved : moved.toString();
}

/** Writes copy number `k` of the seed snapshot, 1,000 events' rows a transaction. */
async function writeCopy(raw: RawConnection, seed: Snapshot, ids: Map<string, Set<string>>, k: number): Promise<void> {
  const kk = BigInt(k);
  const tables = seed.tables.map((t) => {
    const idCols = ids.get(t.table) ?? new Set<string>();
    const shift = t.columns.map((c) => idCols.has(c));
    const hash = t.columns.indexOf('content_hash');
    const rows = t.rows.map((row) =>
      row.map((v, i) => {
        if (i === hash)
          return createHash('sha256')
            .update(`${String(v)}:${k}`)
            .digest('hex');
        return shift[i] ? shifted(v, kk) : v;
      }),
    );
    return { ...t, rows };
  });
  const chunks = Math.max(1, Math.ceil(seed.events / 1000));
  for (let i = 0; i < chunks; i++) {
    await raw.transaction(async () => {
      for (const t of tables) {
        const from = Math.floor((i * t.rows.length) / chunks);
        const to = Math.floor(((i + 1) * t.rows.length) / chunks);
        if (to > from) await raw.insertRows(t.table, t.columns, t.rows.slice(from, to));
      }
    });
  }
}

async function ingestSeed(url: string, count: number): Promise<void> {
  const dataSource = await benchDataSource(url, undefined, false);
  const log = new EventLog(dataSource, buildProjectorRegistry());
  let items: IncomingItem[] = [];
  const flush = async () => {
    await log.append(items, { route: 'bench', contentType: 'application/x-ndjson' });
    items = [];
  };
  for (const text of corpusLines({ count, seed: 7, duplicateRate: 0 })) {
    items.push({ kind: 'event', event: toEnvelopedEvent(parseLossless(text), text) });
    if (items.length === 1000) await flush();
  }
  if (items.length) await flush();
  await dataSource.destroy();
}

const cursorAfter = (id: string) =>
  Buffer.from(JSON.stringify([1, 'submissions:ID:ASC', null, id]), 'utf8').toString('base64url');

interface Probe {
  deepCursor: string;
  courseId: string;
  submissionId: string;
}

async function probe(raw: RawConnection): Promise<Probe> {
  const [{ total }] = (await raw.query('SELECT COUNT(*) AS total FROM submissions')) as { total: unknown }[];
  const offset = Math.floor(Number(total) * 0.9);
  const [deep] = (await raw.query(`SELECT id FROM submissions ORDER BY id LIMIT 1 OFFSET ${offset}`)) as {
    id: unknown;
  }[];
  const [mid] = (await raw.query(
    `SELECT id, course_id FROM submissions WHERE course_id IS NOT NULL ORDER BY id LIMIT 1 OFFSET ${Math.floor(Number(total) / 2)}`,
  )) as { id: unknown; course_id: unknown }[];
  return { deepCursor: cursorAfter(String(deep.id)), courseId: String(mid.course_id), submissionId: String(mid.id) };
}

const QUERY_TEXT: Record<ScaleQuery, string> = {
  firstPage:
    'query { submissions(first: 20) { nodes { id grade score updatedAt } pageInfo { endCursor hasNextPage } } }',
  deepPage:
    'query($after: String) { submissions(first: 20, after: $after) { nodes { id grade score updatedAt } pageInfo { endCursor hasNextPage } } }',
  filteredPage:
    'query($course: ID!) { submissions(first: 20, filter: { courseId: $course, workflowStates: ["graded"] }, orderBy: { field: UPDATED_AT, direction: DESC }) { nodes { id grade score updatedAt } pageInfo { endCursor hasNextPage } } }',
  pointLookup: 'query($id: ID!) { submission(id: $id) { id grade score workflowState course { id title } } }',
};

async function ask(server: BenchServer, query: ScaleQuery, p: Probe): Promise<void> {
  const variables = { after: p.deepCursor, course: p.courseId, id: p.submissionId };
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: QUERY_TEXT[query], variables }),
  });
  const body = (await res.json()) as { errors?: unknown; data?: Record<string, { nodes?: unknown[] } | null> };
  const value = body.data ? Object.values(body.data)[0] : null;
  if (!res.ok || body.errors || !value || (value.nodes && value.nodes.length === 0)) {
    throw new Error(`${query} answered ${res.status}: ${JSON.stringify(body).slice(0, 400)}`);
  }
}

export async function runScale(options: BenchOptions): Promise<ScaleRow[]> {
  const { db, version } = await freshDatabase(options);
  const raw = await rawConnection(db.url);
  let server: BenchServer | null = null;
  try {
    const seedCount = Math.min(options.tiny ? 250 : 10_000, options.scaleSizes[0]);
    const t0 = performance.now();
    await ingestSeed(db.url, seedCount);
    const seed = await snapshot(raw);
    const ids = await idColumns(db.url);
    let copies = 1;
    let loadSeconds = (performance.now() - t0) / 1000;
    server = await startBenchServer(db.url);
    const rows: ScaleRow[] = [];
    let start = load1();
    for (const size of options.scaleSizes) {
      const t1 = performance.now();
      for (; copies * seed.events < size; copies++) {
        await writeCopy(raw, seed, ids, copies);
        // A turn of the event loop between copies: on SQLite a copy is synchronous, and
        // minutes without one let fetch's keep-alive timers lapse unrun, so the first query
        // after loading went out on a socket the server had closed ("fetch failed").
        await new Promise((resolve) => setImmediate(resolve));
        if (copies % 50 === 0) console.log(`loaded ${(copies * seed.events).toLocaleString('en-US')} events`);
      }
      loadSeconds += (performance.now() - t1) / 1000;
      const events = copies * seed.events;
      const p = await probe(raw);
      const [{ total }] = (await raw.query('SELECT COUNT(*) AS total FROM submissions')) as { total: unknown }[];
      if (rows.length === 0) start = await waitForQuiet(options.quietLoad);
      const requests = options.tiny ? 3 : 30;
      const figures = await repeat(options.runs, !options.tiny, async () => {
        const out = {} as Record<ScaleQuery, number>;
        for (const q of SCALE_QUERIES) {
          const samples: number[] = [];
          for (let r = 0; r < requests; r++) {
            const t = performance.now();
            await ask(server!, q, p);
            samples.push(performance.now() - t);
          }
          out[q] = percentile(samples, 50);
        }
        return out;
      });
      rows.push({ events, submissions: Number(total), loadSeconds: Math.round(loadSeconds), p50: figures });
    }
    const first = rows[0];
    printTable(
      `Scale (${options.store}; p50 ms over HTTP, median (min–max) of ${options.runs} runs after a warm-up)`,
      ['events', 'submissions', ...SCALE_QUERIES, `worst vs ${first.events.toLocaleString('en-US')}`],
      rows.map((r) => [
        r.events.toLocaleString('en-US'),
        r.submissions.toLocaleString('en-US'),
        ...SCALE_QUERIES.map((q) => cell(r.p50[q], 2)),
        Math.max(...SCALE_QUERIES.map((q) => r.p50[q].median / first.p50[q].median)).toFixed(2) + '×',
      ]),
    );
    saveSection(options, options.store, version, 'scale', {
      measuredAt: new Date().toISOString(),
      load: { start, end: load1() },
      runs: options.runs,
      seedEvents: seed.events,
      loading:
        'seed corpus through EventLog.append (1,000 events a transaction), then id-shifted copies of its rows by the bare driver (multi-row INSERTs, 1,000 events a transaction)',
      rows,
    });
    return rows;
  } finally {
    await server?.stop();
    await raw.close();
    await db.drop();
  }
}

if (require.main === module) runCli(() => runScale(parseOptions()).then(() => undefined));
