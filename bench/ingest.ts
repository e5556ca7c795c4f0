// npm run bench:ingest [-- --sqlite] [--runs 5] [--events 20000] [--seconds 10] [--cpu-prof DIR]
// Ingest throughput over HTTP against the physical limit of the database:
//   batched: the generated corpus as NDJSON, 1,000 events a request, one client, vs the
//            raw limit — the very rows ingest produced (event log and projections), copied
//            out and written again by the bare driver with multi-row INSERTs in
//            1,000-event transactions;
//   single:  one event per POST, 16 concurrent clients (autocannon): events/s, p50/p99.
import autocannon from 'autocannon';
import { corpusLines, ndjsonBatches } from './lib/corpus';
import {
  BenchDatabase,
  benchDataSource,
  createBenchDatabase,
  RawConnection,
  rawConnection,
  snapshot,
  writeSnapshot,
} from './lib/db';
import { BenchServer, startBenchServer } from './lib/child';
import { BenchOptions, load1, parseOptions, waitForQuiet } from './lib/options';
import { saveSection } from './lib/results';
import { cell, Figure, printTable, repeat } from './lib/stats';
import { runCli } from '../src/cli/runtime';
import { buildProjectorRegistry } from '../src/modules';
import { classify } from '../src/projection/runner';
import type { ProjectorRegistry } from '../src/projection/projector';
import { parseEventsRequest } from '../src/ingest/request-items';

const registry = buildProjectorRegistry();

export interface IngestResult {
  events: number;
  batched: Record<
    'serviceEventsPerSecond' | 'rawEventsPerSecond' | 'ratio' | 'decodeEventsPerSecond' | 'ceilingRatio',
    Figure
  >;
  single: Record<'eventsPerSecond' | 'p50' | 'p99' | 'errors', Figure>;
  httpFloor: Record<'requestsPerSecond' | 'p50' | 'p99', Figure>;
  connections: number;
  seconds: number;
}

export const TARGETS = { batchedRatio: 0.8, singleEventsPerSecond: 2000, singleP99Ms: 50 };

/** Creates, migrates and describes a fresh bench database. */
export async function freshDatabase(options: BenchOptions): Promise<{ db: BenchDatabase; version: string }> {
  const db = await createBenchDatabase(options.store);
  const ds = await benchDataSource(db.url);
  const [row] = (await ds.query(
    options.store === 'mysql' ? 'SELECT VERSION() AS v' : 'SELECT sqlite_version() AS v',
  )) as { v: string }[];
  await ds.destroy();
  return { db, version: `${options.store === 'mysql' ? 'MySQL/MariaDB' : 'SQLite'} ${row.v}` };
}

type Batch = { body: string; count: number };

async function postBatches(server: BenchServer, batches: Batch[]): Promise<number> {
  let sent = 0;
  for (const batch of batches) {
    const res = await fetch(`${server.url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: batch.body,
    });
    if (!res.ok) throw new Error(`POST /events answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    await res.arrayBuffer();
    sent += batch.count;
  }
  return sent;
}

/**
 * Seconds this process takes to turn the batches into validated, hashed events (parse,
 * envelope, content hash, schema check) without any database: work every ingest does
 * before it writes, and the raw limit skips.
 */
async function decodeSeconds(batches: Batch[], registry: ProjectorRegistry): Promise<number> {
  const t0 = performance.now();
  for (const batch of batches) {
    const { items } = await parseEventsRequest(batch.body, 'application/x-ndjson', null);
    for (const item of items) if (item.kind === 'event') classify(registry, item.event);
  }
  return (performance.now() - t0) / 1000;
}

async function batchedRun(server: BenchServer, raw: RawConnection, options: BenchOptions, run: number) {
  await raw.truncateAll();
  const lines = corpusLines({ count: options.ingestEvents, seed: 100 + run, idBase: 10_000_000 * (run + 2) });
  const batches = [...ndjsonBatches(lines, 1000)];
  const t0 = performance.now();
  const sent = await postBatches(server, batches);
  const service = (performance.now() - t0) / 1000;
  const snap = await snapshot(raw);
  await raw.truncateAll();
  const t1 = performance.now();
  await writeSnapshot(raw, snap, 1000);
  const rawSeconds = (performance.now() - t1) / 1000;
  const decode = await decodeSeconds(batches, registry);
  return {
    serviceEventsPerSecond: sent / service,
    rawEventsPerSecond: sent / rawSeconds,
    ratio: rawSeconds / service,
    decodeEventsPerSecond: sent / decode,
    // The raw limit plus decoding, one after the other, as one request at a time does them.
    ceilingRatio: (rawSeconds + decode) / service,
  };
}

async function singleRun(server: BenchServer, options: BenchOptions, run: number, connections: number) {
  const lines = corpusLines({ count: 10_000_000, seed: 500 + run, idBase: 10_000_000 * (run + 40) });
  const result = await autocannon({
    url: server.url,
    connections,
    duration: options.singleSeconds,
    requests: [
      {
        method: 'POST',
        path: '/events',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: lines.next().value as string }),
      },
    ],
  });
  return {
    eventsPerSecond: result['2xx'] / options.singleSeconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

/**
 * The same server answering GET /healthz (the whole middleware stack — security headers,
 * access check, request log — and no body, no database) from as many clients: the most
 * requests a second this machine's HTTP path allows, next to which the single-event
 * figure is read.
 */
async function httpFloorRun(server: BenchServer, options: BenchOptions, connections: number) {
  const result = await autocannon({ url: `${server.url}/healthz`, connections, duration: options.singleSeconds });
  return {
    requestsPerSecond: result['2xx'] / options.singleSeconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

export async function runIngest(options: BenchOptions): Promise<IngestResult> {
  const { db, version } = await freshDatabase(options);
  const nodeArgs = options.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProf] : [];
  const server = await startBenchServer(db.url, nodeArgs);
  const raw = await rawConnection(db.url);
  const connections = 16;
  try {
    const start = await waitForQuiet(options.quietLoad);
    const batched = await repeat(options.runs, !options.tiny, (run) => batchedRun(server, raw, options, run));
    const single = await repeat(options.runs, !options.tiny, (run) => singleRun(server, options, run, connections));
    const httpFloor = await repeat(options.runs, !options.tiny, () => httpFloorRun(server, options, connections));
    const result: IngestResult = {
      events: options.ingestEvents,
      batched,
      single,
      httpFloor,
      connections,
      seconds: options.singleSeconds,
    };
    printTable(
      `Ingest (${options.store}; median (min–max) of ${options.runs} runs after a warm-up)`,
      ['measure', 'value', 'target'],
      [
        [
          `batched NDJSON over HTTP, events/s (${options.ingestEvents} events, 1,000/request)`,
          cell(batched.serviceEventsPerSecond, 0),
          '',
        ],
        ['raw limit (bare driver, multi-row INSERTs), events/s', cell(batched.rawEventsPerSecond, 0), ''],
        ['batched / raw', cell(batched.ratio, 2), `≥ ${TARGETS.batchedRatio}`],
        ['decoding alone (parse, hash, validate; no database), events/s', cell(batched.decodeEventsPerSecond, 0), ''],
        ['batched / (raw limit + decoding)', cell(batched.ceilingRatio, 2), ''],
        [
          `single-event POSTs, ${connections} clients, events/s`,
          cell(single.eventsPerSecond, 0),
          `≥ ${TARGETS.singleEventsPerSecond}`,
        ],
        ['single-event p50 ms', cell(single.p50, 1), ''],
        ['single-event p99 ms', cell(single.p99, 1), `< ${TARGETS.singleP99Ms}`],
        ['single-event errors (non-2xx, timeouts)', cell(single.errors, 0), '0'],
        [`HTTP floor: GET /healthz, ${connections} clients, requests/s`, cell(httpFloor.requestsPerSecond, 0), ''],
      ],
    );
    saveSection(options, options.store, version, 'ingest', {
      measuredAt: new Date().toISOString(),
      load: { start, end: load1() },
      runs: options.runs,
      ...result,
    });
    return result;
  } finally {
    await raw.close();
    await server.stop();
    await db.drop();
  }
}

if (require.main === module) runCli(() => runIngest(parseOptions()).then(() => undefined));
