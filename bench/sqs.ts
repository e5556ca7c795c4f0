// npm run bench:sqs [-- --sqlite] [--runs 3] [--events 3000]
// Events/s through SQS next to HTTPS, same service, same database, in one run:
//   https single: one event per POST /events, 16 concurrent clients (as Canvas delivers);
//   https batch:  NDJSON, 1,000 events a request, one client;
//   sqs:          one event per message (as Canvas delivers), the queue filled first, then
//                 drained by the service's consumer (SQS_RECEIVERS_PER_QUEUE 2 and 8), timed
//                 from the first event stored to the last.
// The queue is fauxqs on 127.0.0.1 (no network latency: real SQS adds a round trip of
// tens of ms per receive and delete, which more receivers hide).
import { corpusLines, ndjsonBatches } from './lib/corpus';
import { BenchServer, startBenchServer } from './lib/child';
import { rawConnection, RawConnection } from './lib/db';
import { freshDatabase } from './ingest';
import { parseOptions } from './lib/options';
import { cell, printTable, repeat } from './lib/stats';
import { runCli } from '../src/cli/runtime';
import { AWS_TEST_ENV, SqsServer, startSqsServer } from '../test/support/sqs';

const CLIENTS = 16;

async function eventCount(raw: RawConnection): Promise<number> {
  const [row] = (await raw.query('SELECT COUNT(*) AS n FROM events')) as { n: number | string }[];
  return Number(row.n);
}

async function httpsSingle(server: BenchServer, lines: string[]): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < lines.length) {
        const body = lines[next++];
        const res = await fetch(`${server.url}/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        if (!res.ok) throw new Error(`POST /events answered ${res.status}`);
        await res.arrayBuffer();
      }
    }),
  );
  return lines.length / ((performance.now() - t0) / 1000);
}

async function httpsBatch(server: BenchServer, lines: string[]): Promise<number> {
  const t0 = performance.now();
  for (const batch of ndjsonBatches(lines, 1000)) {
    const res = await fetch(`${server.url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: batch.body,
    });
    if (!res.ok) throw new Error(`POST /events answered ${res.status}`);
    await res.arrayBuffer();
  }
  return lines.length / ((performance.now() - t0) / 1000);
}

/** Fills a fresh queue, starts a service consuming it, and times the drain. */
async function sqsDrain(sqs: SqsServer, dbUrl: string, raw: RawConnection, lines: string[], receivers: number) {
  const queueUrl = await sqs.createQueue(`bench-${Date.now()}-${receivers}`);
  await sqs.send(queueUrl, lines.map(bmpOnly));
  Object.assign(process.env, AWS_TEST_ENV, {
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    SQS_QUEUE_URLS: queueUrl,
    SQS_ENDPOINT: sqs.endpoint,
    SQS_RECEIVERS_PER_QUEUE: String(receivers),
    SQS_WAIT_TIME_SECONDS: '1',
  });
  const server = await startBenchServer(dbUrl);
  try {
    const expected = (await eventCount(raw)) + new Set(lines).size;
    let first = await eventCount(raw);
    const before = first;
    while (first === before) {
      await new Promise((r) => setTimeout(r, 5));
      first = await eventCount(raw);
    }
    const t0 = performance.now();
    let count = first;
    while (count < expected) {
      await new Promise((r) => setTimeout(r, 20));
      count = await eventCount(raw);
    }
    return (count - first) / ((performance.now() - t0) / 1000);
  } finally {
    await server.stop();
    for (const key of Object.keys(process.env)) if (key.startsWith('SQS_')) delete process.env[key];
  }
}

/**
 * fauxqs refuses characters beyond the Basic Multilingual Plane (real SQS takes them):
 * written as JSON escapes, the event (and its content hash) is the same.
 */
function bmpOnly(line: string): string {
  return line.replace(/[\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

async function main() {
  const options = parseOptions();
  const events = process.argv.includes('--events') ? options.ingestEvents : options.tiny ? 200 : 3000;
  const { db, version } = await freshDatabase(options);
  const sqs = await startSqsServer();
  const raw = await rawConnection(db.url);
  try {
    const lines = (run: number) => [
      ...new Set(corpusLines({ count: events, seed: 900 + run, idBase: 10_000_000 * (run + 60) })),
    ];
    const https = await startBenchServer(db.url);
    let figures;
    try {
      figures = await repeat(options.runs, !options.tiny, async (run) => {
        await raw.truncateAll();
        const single = await httpsSingle(https, lines(run));
        await raw.truncateAll();
        const batch = await httpsBatch(https, lines(run));
        return { single, batch };
      });
    } finally {
      await https.stop();
    }
    const drained = await repeat(options.runs, false, async (run) => {
      await raw.truncateAll();
      const two = await sqsDrain(sqs, db.url, raw, lines(run), 2);
      await raw.truncateAll();
      const eight = await sqsDrain(sqs, db.url, raw, lines(run), 8);
      return { two, eight };
    });
    printTable(
      `Delivery (${version}; ${events} events; median (min–max) of ${options.runs} runs)`,
      ['measure', 'events/s', 'vs https single'],
      [
        [`https, one event per POST, ${CLIENTS} clients`, cell(figures.single, 0), '1'],
        [
          'https, NDJSON 1,000 per request',
          cell(figures.batch, 0),
          (figures.batch.median / figures.single.median).toFixed(2),
        ],
        [
          'sqs, one event per message, 2 receivers',
          cell(drained.two, 0),
          (drained.two.median / figures.single.median).toFixed(2),
        ],
        [
          'sqs, one event per message, 8 receivers',
          cell(drained.eight, 0),
          (drained.eight.median / figures.single.median).toFixed(2),
        ],
      ],
    );
  } finally {
    await raw.close();
    await sqs.stop();
    await db.drop();
  }
}

runCli(main);
