// npm run bench:query [-- --sqlite] [--runs 5] [--sizes 10,100,1000] [--cpu-prof DIR]
// The nested course dashboard (courses → submissions → comments, history, course) at N
// submissions, over HTTP: p50/p99 and SQL statements per query for the service, next to
// (a) hand-written SQL fetching the same data through the bare driver (the floor) and
// (b) the same fields with naive per-parent resolvers and no DataLoader. Pages are
// capped at 100, so N = 1,000 is ten courses of 100 submissions each.
import { isDeepStrictEqual } from 'node:util';
import { buildProjectorRegistry } from '../src/modules';
import { toEnvelopedEvent } from '../src/ingest/envelope';
import { EventLog, IncomingItem } from '../src/ingest/event-log';
import { parseLossless } from '../src/canvas/lossless-json';
import { BenchServer, startBenchServer } from './lib/child';
import { globalOf, ROOT_ACCOUNT } from './lib/corpus';
import { DASHBOARD_QUERY, DashboardVariables } from './lib/dashboard';
import { benchDataSource } from './lib/db';
import { BenchOptions, load1, parseOptions, waitForQuiet } from './lib/options';
import { saveSection } from './lib/results';
import { cell, Figure, percentile, printTable, repeat } from './lib/stats';
import { freshDatabase } from './ingest';
import { runCli } from '../src/cli/runtime';

export const VARIANTS = ['service', 'hand', 'naive'] as const;
export type Variant = (typeof VARIANTS)[number];

export interface QueryRow {
  n: number;
  variant: Variant;
  p50: Figure;
  p99: Figure;
  statements: number;
}

export const TARGETS = { p50VsHand: 1.5, naiveVsService: 10 };

const COMMENTS_PER_SUBMISSION = 2;

/** The dashboard's world for one N: ⌈N/100⌉ courses of ≤ 100 submissions, each created, updated and commented twice. */
export function worldEvents(n: number, base: number): { events: string[]; variables: DashboardVariables } {
  const per = Math.min(n, 100);
  const courses = Math.ceil(n / per);
  const ids: string[] = [];
  const events: string[] = [];
  const t0 = Date.parse('2024-10-01T10:00:00.000Z');
  let t = 0;
  const time = () => new Date(t0 + ++t * 1000).toISOString();
  for (let c = 0; c < courses; c++) {
    const course = globalOf(base + c);
    ids.push(course);
    const metadata = () => ({
      event_time: time(),
      root_account_id: ROOT_ACCOUNT,
      context_type: 'Course',
      context_id: course,
      context_account_id: globalOf(79),
      context_sis_source_id: `SIS-${base + c}`,
      producer: 'canvas',
    });
    for (let s = 0; s < per; s++) {
      const local = base + 100_000 + c * 1000 + s;
      const submission = {
        submission_id: globalOf(local),
        user_id: globalOf(5000 + s),
        assignment_id: globalOf(400 + (s % 7)),
        attempt: 1,
        body: 'An essay about light and photosynthesis, with a data table.',
        late: s % 9 === 0,
        missing: false,
        submission_type: 'online_text_entry',
      };
      for (const [name, extra] of [
        ['submission_created', { workflow_state: 'submitted', grade: null, score: null }],
        ['submission_updated', { workflow_state: 'graded', grade: 'B', score: 80 + (s % 20) }],
      ] as const) {
        const m = metadata();
        events.push(
          JSON.stringify({
            metadata: { ...m, event_name: name },
            body: { ...submission, ...extra, updated_at: m.event_time },
          }),
        );
      }
      for (let k = 0; k < COMMENTS_PER_SUBMISSION; k++) {
        const m = metadata();
        events.push(
          JSON.stringify({
            metadata: { ...m, event_name: 'submission_comment_created' },
            body: {
              submission_comment_id: String(local * 10 + k),
              submission_id: String(local),
              user_id: String(6000 + k),
              body: k === 0 ? 'Nice work 👍 — see the rubric.' : 'Thanks, I will revise the conclusion.',
              created_at: m.event_time,
              attachment_ids: [],
            },
          }),
        );
      }
    }
  }
  return { events, variables: { ids, courses, per } };
}

export async function load(url: string, events: string[]): Promise<void> {
  const dataSource = await benchDataSource(url, undefined, false);
  const log = new EventLog(dataSource, buildProjectorRegistry());
  for (let i = 0; i < events.length; i += 1000) {
    const items = events
      .slice(i, i + 1000)
      .map((text): IncomingItem => ({ kind: 'event', event: toEnvelopedEvent(parseLossless(text), text) }));
    await log.append(items, { route: 'bench', contentType: 'application/x-ndjson' });
  }
  await dataSource.destroy();
}

async function ask(server: BenchServer, variant: Variant, variables: DashboardVariables): Promise<unknown> {
  const path = { service: '/graphql', naive: '/naive/graphql', hand: '/__bench/hand' }[variant];
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: DASHBOARD_QUERY, variables }),
  });
  const body = (await res.json()) as { errors?: unknown };
  if (!res.ok || body.errors)
    throw new Error(`${variant} answered ${res.status}: ${JSON.stringify(body).slice(0, 400)}`);
  return body;
}

export async function runQuery(options: BenchOptions): Promise<QueryRow[]> {
  const { db, version } = await freshDatabase(options);
  const worlds = options.querySizes.map((n, i) => ({ n, ...worldEvents(n, 1_000_000 * (i + 1)) }));
  await load(
    db.url,
    worlds.flatMap((w) => w.events),
  );
  const server = await startBenchServer(
    db.url,
    options.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProf] : [],
  );
  try {
    const start = await waitForQuiet(options.quietLoad);
    const rows: QueryRow[] = [];
    for (const world of worlds) {
      // Same data from all three, or the comparison means nothing.
      const answers = [];
      for (const variant of VARIANTS) answers.push(await ask(server, variant, world.variables));
      for (const [i, variant] of VARIANTS.entries()) {
        if (!isDeepStrictEqual(answers[i], answers[0]))
          throw new Error(`${variant} answers differently from the service at N = ${world.n}`);
      }
      for (const variant of VARIANTS) {
        const before = await server.statements();
        await ask(server, variant, world.variables);
        const statements = (await server.statements()) - before;
        const requests = options.tiny
          ? 3
          : variant === 'naive'
            ? world.n >= 1000
              ? 5
              : 10
            : world.n >= 1000
              ? 20
              : 40;
        const figures = await repeat(options.runs, !options.tiny, async () => {
          const samples: number[] = [];
          for (let r = 0; r < requests; r++) {
            const t0 = performance.now();
            await ask(server, variant, world.variables);
            samples.push(performance.now() - t0);
          }
          return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
        });
        rows.push({ n: world.n, variant, statements, ...figures });
      }
    }
    const find = (n: number, v: Variant) => rows.find((r) => r.n === n && r.variant === v)!;
    printTable(
      `Query: course dashboard over HTTP (${options.store}; ms, median (min–max) of ${options.runs} runs after a warm-up)`,
      ['N', 'variant', 'p50 ms', 'p99 ms', 'statements', 'vs hand SQL', 'naive / service'],
      rows.map((r) => [
        String(r.n),
        r.variant,
        cell(r.p50, 1),
        cell(r.p99, 1),
        String(r.statements),
        (r.p50.median / find(r.n, 'hand').p50.median).toFixed(2) + '×',
        r.variant === 'service' ? (find(r.n, 'naive').p50.median / r.p50.median).toFixed(1) + '×' : '',
      ]),
    );
    saveSection(options, options.store, version, 'query', {
      measuredAt: new Date().toISOString(),
      load: { start, end: load1() },
      runs: options.runs,
      rows,
    });
    return rows;
  } finally {
    await server.stop();
    await db.drop();
  }
}

if (require.main === module) runCli(() => runQuery(parseOptions()).then(() => undefined));
