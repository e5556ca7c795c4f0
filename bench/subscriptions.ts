// npm run bench:subscriptions [-- --sqlite] [--events 4000] [--firehose]
// Live updates' cost to ingest and their delivery latency, against the service in its own
// process (open mode, so every subscriber is an admin):
//   throughput: the corpus (100 courses) as NDJSON, 100 events a request, one client,
//               with no subscriber and then with 100 graphql-ws subscribers, each a course
//               dashboard: `submissionChanged(filter: { courseId })` of its own course
//               (--firehose: every subscriber follows every submission change and every
//               event, 100 deliveries per event: the worst case): events/s and the ratio;
//   latency:    one event per POST, one after another: from the POST being sent to each
//               update that follows from it (an upper bound on commit → client, which it
//               includes along with the request's own ingest): p50/p99.
import { createClient, Client } from 'graphql-ws';
import WebSocket from 'ws';
import { corpusLines, globalOf, ndjsonBatches } from './lib/corpus';
import { benchDataSource, createBenchDatabase } from './lib/db';
import { startBenchServer, BenchServer } from './lib/child';
import { parseOptions } from './lib/options';
import { percentile, round } from './lib/stats';
import { runCli } from '../src/cli/runtime';

const SUBSCRIBERS = 100;
const BATCH = 100;

async function ingestRate(server: BenchServer, lines: string[]): Promise<number> {
  const started = performance.now();
  let sent = 0;
  for (const batch of ndjsonBatches(lines, BATCH)) {
    const res = await fetch(`${server.url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: batch.body,
    });
    if (res.status !== 200) throw new Error(`POST /events answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    await res.arrayBuffer();
    sent += batch.count;
  }
  return sent / ((performance.now() - started) / 1000);
}

interface Subscribers {
  received: number;
  onUpdate: ((at: number) => void) | null;
  close(): Promise<void>;
}

const FIREHOSE = process.argv.includes('--firehose');
const COURSES = 100;
const courseOf = (base: number, i: number) => globalOf(base * 10_000_000 + 1 + i);

async function subscribers(server: BenchServer, bases: number[]): Promise<Subscribers> {
  const state: Subscribers = { received: 0, onUpdate: null, close: async () => undefined };
  const clients: Client[] = [];
  const started: Promise<void>[] = [];
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const client = createClient({ url: `${server.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket });
    clients.push(client);
    started.push(
      new Promise<void>((resolve) => {
        client.on('connected', () => resolve());
        const sink = {
          next: () => {
            state.received++;
            state.onUpdate?.(performance.now());
          },
          error: (error: unknown) => console.error('subscriber error', error),
          complete: () => undefined,
        };
        if (FIREHOSE) {
          client.subscribe({ query: 'subscription { submissionChanged { id score workflowState } }' }, sink);
          client.subscribe({ query: 'subscription { eventLogged { id name } }' }, sink);
          return;
        }
        for (const base of bases) {
          client.subscribe(
            {
              query: `subscription($courseId: ID!) {
                submissionChanged(filter: { courseId: $courseId }) { id score workflowState }
              }`,
              variables: { courseId: courseOf(base, i % COURSES) },
            },
            sink,
          );
        }
      }),
    );
  }
  await Promise.all(started);
  // graphql-ws starts the operations right after connecting; give them a moment.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  state.close = async () => {
    await Promise.all(clients.map((c) => c.dispose()));
  };
  return state;
}

async function latency(server: BenchServer, subs: Subscribers, lines: string[]): Promise<number[]> {
  const samples: number[] = [];
  for (const line of lines) {
    // Submission events only (each changes its submission, in a course someone follows).
    if (!/"event_name":"submission_(created|updated)"/.test(line)) continue;
    const sentAt = performance.now();
    // Firehose: each subscriber gets the submission change and the event; else its course's one.
    let left = FIREHOSE ? SUBSCRIBERS * 2 : 1;
    const done = new Promise<void>((resolve) => {
      subs.onUpdate = (at) => {
        samples.push(at - sentAt);
        if (--left === 0) resolve();
      };
    });
    const res = await fetch(`${server.url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: line,
    });
    await res.arrayBuffer();
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 2000))]);
    subs.onUpdate = null;
  }
  return samples;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const events = process.argv.includes('--events') ? options.ingestEvents : 4000;
  const db = await createBenchDatabase(options.store);
  // Migrated here: the bench server opens the database as it finds it.
  await (await benchDataSource(db.url)).destroy();
  const server = await startBenchServer(db.url);
  try {
    const corpus = (base: number, count: number) =>
      Array.from(corpusLines({ count, seed: base, idBase: base * 10_000_000, duplicateRate: 0, courses: COURSES }));
    // Warm up (schema, statements, caches), then the two runs on fresh ids each.
    await ingestRate(server, corpus(1, 1000));
    const none = await ingestRate(server, corpus(2, events));
    const subs = await subscribers(server, [3, 4]);
    const withSubscribers = await ingestRate(server, corpus(3, events));
    const delivered = subs.received;
    const samples = await latency(server, subs, corpus(4, 400));
    await subs.close();
    const result = {
      store: options.store,
      events,
      subscribers: SUBSCRIBERS,
      mode: FIREHOSE ? 'firehose: every subscriber follows everything' : 'one course dashboard each',
      eventsPerSecondWithout: round(none, 0),
      eventsPerSecondWith: round(withSubscribers, 0),
      ratio: round(withSubscribers / none, 2),
      updatesDelivered: delivered,
      latencySamples: samples.length,
      latencyP50Ms: round(percentile(samples, 50), 1),
      latencyP99Ms: round(percentile(samples, 99), 1),
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await server.stop();
    await db.drop();
  }
}

runCli(main);
