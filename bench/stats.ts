// npm run bench:stats [-- --sqlite] [--quick] [--size 1000000] [--runs 7] [--quiet-load 1]
// The reporting engine (src/reporting) against a hand-written GROUP BY on the same
// database: submissionStats(groupBy: [ASSIGNMENT]) over N submissions (default 1M,
// --quick 100k). Loading: rows written by the bare driver the way the submission
// projector writes them (multi-row INSERTs, 5,000 a transaction): 500 submissions per
// assignment, 20 assignments per course, 5,000 students; scores, late, missing and
// workflow states varied. Then ANALYZE, a check that both sides give the same groups,
// and paired rounds: in each round every query runs through the engine and by hand,
// back to back, in alternating order; the figure is the median of the per-round times
// and of the per-round ratios (engine ÷ hand), after one warm-up round. A fifth row times
// DAY buckets in America/Chicago against a fixed-offset hand-written grouping. Four more
// rows measure the service's GraphQL path: POST /graphql submissionStats on the real app
// in a child process (./lib/server-process.ts) against the same process answering the
// hand-written GROUP BY in the same JSON shape (/__bench/hand-stats), both over HTTP.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { aggregate, StatsPage } from '../src/reporting/aggregate';
import { submissionDataset, SubmissionStats } from '../src/reporting/datasets';
import { globalOf, random } from './lib/corpus';
import { startBenchServer } from './lib/child';
import type { RawQuery } from './lib/dashboard';
import { benchDataSource, createBenchDatabase, rawConnection, RawConnection, Store } from './lib/db';
import { BENCH_DIR, load1, machine, waitForQuiet } from './lib/options';
import { figure, Figure, printTable, round } from './lib/stats';

export interface StatsBenchOptions {
  store: Store;
  /** Submissions to load. */
  size: number;
  /** Measured paired rounds (after one warm-up round). */
  runs: number;
  /** Where stats-<store>.json goes. */
  resultsDir: string;
  /** Wait for the 1-minute load average to drop below this before measuring; 0: don't. */
  quietLoad: number;
}

export interface StatsFigure {
  name: string;
  engineMs: Figure;
  handMs: Figure;
  /** Per round, engine ÷ hand. */
  ratio: Figure;
}

const PER_ASSIGNMENT = 500;
const ASSIGNMENTS_PER_COURSE = 20;
const STUDENTS = 5000;
const PAGE = 100;

const SUBMISSION_COLUMNS = [
  'id',
  'assignment_id',
  'user_id',
  'course_id',
  'attempt',
  'score',
  'late',
  'missing',
  'submission_type',
  'workflow_state',
  'submitted_at',
  'graded_at',
  'updated_at',
];
const TYPES = ['online_text_entry', 'online_upload', 'online_quiz', null];
const STATES = ['submitted', 'graded', 'graded', 'unsubmitted', 'pending_review'];
const T0 = Date.parse('2024-08-26T00:00:00Z');
const sqlTime = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');

async function load(raw: RawConnection, { store, size }: StatsBenchOptions): Promise<void> {
  const next = random(42);
  const chunk = 5000;
  const started = Date.now();
  for (let from = 0; from < size; from += chunk) {
    const rows: unknown[][] = [];
    for (let i = from; i < Math.min(size, from + chunk); i++) {
      const assignment = Math.floor(i / PER_ASSIGNMENT);
      const state = STATES[Math.floor(next() * STATES.length)];
      const submitted = state !== 'unsubmitted';
      const submittedAt = submitted ? T0 + Math.floor(next() * 120 * 86_400_000) : null;
      const missing = !submitted && next() < 0.6;
      const scored = state === 'graded' || missing;
      rows.push([
        BigInt(globalOf(100_000_000 + i)),
        BigInt(globalOf(2_000_000 + assignment)),
        BigInt(globalOf(3_000_000 + Math.floor(next() * STUDENTS))),
        BigInt(globalOf(4_000_000 + Math.floor(assignment / ASSIGNMENTS_PER_COURSE))),
        submitted ? 1 : null,
        scored ? (missing ? 0 : Math.round(next() * 4000) / 40) : null,
        submitted && next() < 0.2 ? 1 : 0,
        missing ? 1 : 0,
        submitted ? TYPES[Math.floor(next() * TYPES.length)] : null,
        state,
        submittedAt === null ? null : sqlTime(submittedAt),
        state === 'graded' && submittedAt !== null ? sqlTime(submittedAt + 86_400_000) : null,
        sqlTime(T0 + 130 * 86_400_000 + i),
      ]);
    }
    await raw.transaction(() => raw.insertRows('submissions', SUBMISSION_COLUMNS, rows));
    if ((from / chunk) % 40 === 0) console.log(`loaded ${from + rows.length} of ${size} submissions`);
  }
  console.log(`loaded ${size} submissions in ${round((Date.now() - started) / 1000, 1)} s`);
  await raw.query(store === 'mysql' ? 'ANALYZE TABLE submissions' : 'ANALYZE');
}

/** The same figures as the engine's submission measures, written by hand for this database. */
function handSql(store: Store, where: string, limit: number | null, key = 'assignment_id'): string {
  const stddev = store === 'mysql' ? 'STDDEV_POP(score)' : 'SUM(score * score)';
  return (
    `SELECT ${key} AS group_key, COUNT(*) AS n, COUNT(submitted_at) AS submitted, ` +
    `SUM(CASE WHEN graded_at IS NOT NULL OR workflow_state = 'graded' THEN 1 ELSE 0 END) AS graded, ` +
    `SUM(CASE WHEN late = 1 THEN 1 ELSE 0 END) AS late, SUM(CASE WHEN missing = 1 THEN 1 ELSE 0 END) AS missing, ` +
    `COUNT(score) AS scores, SUM(score) AS score_sum, AVG(score) AS score_avg, MIN(score) AS score_min, ` +
    `MAX(score) AS score_max, ${stddev} AS score_spread, MIN(submitted_at) AS first_at, MAX(submitted_at) AS last_at ` +
    `FROM submissions ${where} GROUP BY group_key ORDER BY group_key` +
    (limit === null ? '' : ` LIMIT ${limit}`)
  );
}

/** A page the bench server's /__bench/hand-stats is asked for: what the GraphQL rows ask. */
export interface HandStatsRequest {
  limit: number;
  after?: string | null;
  courseId?: string | null;
  count?: boolean;
}

const numberOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const isoOrNull = (v: unknown) =>
  v === null || v === undefined ? null : new Date(`${String(v).replace(' ', 'T')}Z`).toISOString();

/** The hand-written page, answered in the shape of the GraphQL answer (for the bench server). */
export async function handStats(query: RawQuery, store: Store, request: HandStatsRequest) {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (request.courseId) {
    conditions.push('course_id = ?');
    params.push(BigInt(request.courseId));
  }
  if (request.after) {
    conditions.push('assignment_id > ?');
    params.push(BigInt(request.after));
  }
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const rows = await query(handSql(store, where, request.limit + 1), params);
  const nodes = rows.slice(0, request.limit).map((r) => {
    const scores = Number(r.scores);
    const sum = numberOrNull(r.score_sum);
    const spread = numberOrNull(r.score_spread);
    const stddev =
      store === 'mysql' || spread === null || !scores
        ? spread
        : Math.sqrt(Math.max(0, (spread - (sum! * sum!) / scores) / scores));
    return {
      key: { assignmentId: String(r.group_key) },
      count: Number(r.n),
      submittedCount: Number(r.submitted),
      gradedCount: Number(r.graded),
      lateCount: Number(r.late),
      missingCount: Number(r.missing),
      score: {
        count: scores,
        sum,
        avg: numberOrNull(r.score_avg),
        min: numberOrNull(r.score_min),
        max: numberOrNull(r.score_max),
        stddev,
      },
      firstSubmittedAt: isoOrNull(r.first_at),
      lastSubmittedAt: isoOrNull(r.last_at),
    };
  });
  const totalCount = request.count
    ? Number((await query(`SELECT COUNT(DISTINCT assignment_id) AS n FROM submissions ${where}`, params))[0].n)
    : undefined;
  const pageInfo = { hasNextPage: rows.length > request.limit, endCursor: nodes.at(-1)?.key.assignmentId ?? null };
  return { data: { submissionStats: { nodes, pageInfo, totalCount } } };
}

const STATS_QUERY = (totalCount: boolean) => /* GraphQL */ `
  query ($first: Int, $after: String, $courseId: ID) {
    submissionStats(groupBy: [ASSIGNMENT], first: $first, after: $after, filter: { courseId: $courseId }) {
      nodes {
        key { assignmentId }
        count submittedCount gradedCount lateCount missingCount
        score { count sum avg min max stddev }
        firstSubmittedAt lastSubmittedAt
      }
      pageInfo { hasNextPage endCursor }
      ${totalCount ? 'totalCount' : ''}
    }
  }`;

interface StatsAnswer {
  data?: { submissionStats: { nodes: Array<{ count: number; score: { count: number } }>; totalCount?: number } };
  errors?: unknown;
}

async function postJson(url: string, body: unknown): Promise<StatsAnswer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as StatsAnswer;
  if (res.status !== 200 || answer.errors)
    throw new Error(`${url}: ${res.status} ${JSON.stringify(answer).slice(0, 300)}`);
  return answer;
}

interface Comparison {
  name: string;
  engine: () => Promise<unknown>;
  hand: () => Promise<unknown>;
}

async function comparisons(
  ds: DataSource,
  raw: RawConnection,
  serverUrl: string,
  { store, size }: StatsBenchOptions,
): Promise<Comparison[]> {
  const graphql = (variables: Record<string, unknown>, totalCount = false) =>
    postJson(`${serverUrl}/graphql`, { query: STATS_QUERY(totalCount), variables });
  const hand = (request: HandStatsRequest) => postJson(`${serverUrl}/__bench/hand-stats`, request);
  const assignments = Math.ceil(size / PER_ASSIGNMENT);
  // A cursor at 90 % of the assignments, from the engine itself: the deep page holds the last 10 %.
  const target = Math.max(1, Math.floor(assignments * 0.9));
  let deep: StatsPage<SubmissionStats> | null = null;
  let after: string | null = null;
  for (let seen = 0; seen < target; seen += deep.nodes.length) {
    deep = await aggregate(ds, submissionDataset, {
      groupBy: ['ASSIGNMENT'],
      first: Math.min(PAGE, target - seen),
      after,
    });
    after = deep.endCursor;
  }
  const deepAfter = deep!.nodes[deep!.nodes.length - 1].key.assignmentId!;
  const course = BigInt(globalOf(4_000_000 + Math.floor(assignments / ASSIGNMENTS_PER_COURSE / 2)));
  return [
    {
      name: `first page (${PAGE} groups)`,
      engine: () => aggregate(ds, submissionDataset, { groupBy: ['ASSIGNMENT'], first: PAGE }),
      hand: () => raw.query(handSql(store, '', PAGE + 1)),
    },
    {
      name: 'deep page (cursor at 90 %)',
      engine: () => aggregate(ds, submissionDataset, { groupBy: ['ASSIGNMENT'], first: PAGE, after }),
      hand: () => raw.query(handSql(store, 'WHERE assignment_id > ?', PAGE + 1), [BigInt(deepAfter)]),
    },
    {
      name: 'first page + totalCount',
      engine: async () => {
        const page = await aggregate(ds, submissionDataset, { groupBy: ['ASSIGNMENT'], first: PAGE });
        return [page.nodes, await page.totalCount()];
      },
      hand: async () => [
        await raw.query(handSql(store, '', PAGE + 1)),
        await raw.query('SELECT COUNT(DISTINCT assignment_id) AS n FROM submissions'),
      ],
    },
    {
      name: 'one course, by assignment',
      engine: () =>
        aggregate(ds, submissionDataset, {
          filter: { where: 's.course_id = ?', params: [course] },
          groupBy: ['ASSIGNMENT'],
          first: PAGE,
        }),
      hand: () => raw.query(handSql(store, 'WHERE course_id = ?', PAGE + 1), [course]),
    },
    {
      // Not like for like: the hand side takes Chicago as a fixed UTC−6, wrong for the
      // rows after 3 November; the engine's CASE over offset segments is exact. The
      // ratio is what daylight-saving-correct days cost over a fixed offset.
      name: 'by DAY in America/Chicago (hand: fixed −06:00)',
      engine: () => aggregate(ds, submissionDataset, { groupBy: ['DAY'], timeZone: 'America/Chicago', first: PAGE }),
      hand: () =>
        raw.query(
          handSql(
            store,
            '',
            PAGE + 1,
            store === 'mysql' ? 'DATE(TIMESTAMPADD(HOUR, -6, submitted_at))' : "date(submitted_at, '-6 hours')",
          ),
        ),
    },
    {
      name: `GraphQL over HTTP: first page (${PAGE} groups)`,
      engine: () => graphql({ first: PAGE }),
      hand: () => hand({ limit: PAGE }),
    },
    {
      name: 'GraphQL over HTTP: deep page (cursor at 90 %)',
      engine: () => graphql({ first: PAGE, after }),
      hand: () => hand({ limit: PAGE, after: deepAfter }),
    },
    {
      name: 'GraphQL over HTTP: first page + totalCount',
      engine: () => graphql({ first: PAGE }, true),
      hand: () => hand({ limit: PAGE, count: true }),
    },
    {
      name: 'GraphQL over HTTP: one course, by assignment',
      engine: () => graphql({ first: PAGE, courseId: String(course) }),
      hand: () => hand({ limit: PAGE, courseId: String(course) }),
    },
  ];
}

/** The service's GraphQL answer and the hand route's give the same groups and counts. */
async function checkSameGraphQLAnswer(serverUrl: string): Promise<void> {
  const service = await postJson(`${serverUrl}/graphql`, { query: STATS_QUERY(true), variables: { first: PAGE } });
  const hand = await postJson(`${serverUrl}/__bench/hand-stats`, { limit: PAGE, count: true });
  const summary = (a: StatsAnswer) =>
    JSON.stringify([
      a.data!.submissionStats.nodes.map((n) => [n.count, n.score.count]),
      a.data!.submissionStats.totalCount,
    ]);
  if (summary(service) !== summary(hand)) throw new Error('GraphQL and the hand-written route disagree');
}

/** Both sides give the same groups and counts (the timing would mean nothing otherwise). */
async function checkSameAnswer(ds: DataSource, raw: RawConnection, store: Store): Promise<void> {
  const page = await aggregate(ds, submissionDataset, { groupBy: ['ASSIGNMENT'], first: PAGE });
  const hand = (await raw.query(handSql(store, '', PAGE))) as Array<Record<string, unknown>>;
  const engine = page.nodes.map((n) => [n.key.assignmentId, n.count, n.gradedCount, n.lateCount, n.score.count]);
  const byHand = hand.map((r) => [
    String(r.group_key),
    Number(r.n),
    Number(r.graded),
    Number(r.late),
    Number(r.scores),
  ]);
  if (JSON.stringify(engine) !== JSON.stringify(byHand))
    throw new Error('the engine and the hand-written SQL disagree');
  for (let i = 0; i < hand.length; i++) {
    const sum = Number(hand[i].score_sum ?? 0);
    if (Math.abs((page.nodes[i].score.sum ?? 0) - sum) > 1e-6 * Math.max(1, sum)) throw new Error('score sums differ');
  }
}

const time = async (work: () => Promise<unknown>) => {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
};

/** Loads, checks and times; returns the figures and writes them to `stats-<store>.json`. */
export async function runStats(options: StatsBenchOptions): Promise<StatsFigure[]> {
  const { store, size, runs } = options;
  const db = await createBenchDatabase(store);
  const ds = await benchDataSource(db.url);
  const raw = await rawConnection(db.url);
  let server: Awaited<ReturnType<typeof startBenchServer>> | null = null;
  try {
    const [{ v }] = (await ds.query(
      store === 'mysql' ? 'SELECT VERSION() AS v' : 'SELECT sqlite_version() AS v',
    )) as Array<{ v: string }>;
    await load(raw, options);
    await checkSameAnswer(ds, raw, store);
    server = await startBenchServer(db.url);
    await checkSameGraphQLAnswer(server.url);
    const cases = await comparisons(ds, raw, server.url, options);
    const loadStart = await waitForQuiet(options.quietLoad);
    const samples = cases.map(() => ({ engine: [] as number[], hand: [] as number[], ratio: [] as number[] }));
    for (let r = -1; r < runs; r++) {
      for (const [i, c] of cases.entries()) {
        // Alternate which side goes first, so neither always meets the warmer cache.
        const [engine, hand] =
          r % 2 === 0
            ? [await time(c.engine), await time(c.hand)]
            : await time(c.hand).then(async (h) => [await time(c.engine), h]);
        if (r < 0) continue;
        samples[i].engine.push(engine);
        samples[i].hand.push(hand);
        samples[i].ratio.push(engine / hand);
      }
    }
    const loadEnd = load1();
    const figures: StatsFigure[] = cases.map((c, i) => ({
      name: c.name,
      engineMs: figure(samples[i].engine),
      handMs: figure(samples[i].hand),
      ratio: figure(samples[i].ratio),
    }));
    const f = (x: Figure, digits = 1) => `${round(x.median, digits)} (${round(x.min, digits)}–${round(x.max, digits)})`;
    printTable(
      `submissionStats(groupBy: [ASSIGNMENT]), engine (or GraphQL) ÷ hand-written GROUP BY, ${size.toLocaleString('en-US')} submissions, ${store} (${v}), ${runs} paired rounds, load ${loadStart} → ${loadEnd}`,
      ['query', 'engine ms', 'hand ms', 'engine ÷ hand'],
      figures.map((x) => [x.name, f(x.engineMs), f(x.handMs), f(x.ratio, 2)]),
    );
    const out = options.resultsDir;
    mkdirSync(out, { recursive: true });
    writeFileSync(
      join(out, `stats-${store}.json`),
      JSON.stringify(
        {
          measuredAt: new Date().toISOString(),
          machine: machine(),
          database: v,
          size,
          runs,
          load: { start: loadStart, end: loadEnd },
          figures,
        },
        null,
        2,
      ) + '\n',
    );
    return figures;
  } finally {
    await server?.stop();
    await raw.close();
    await ds.destroy();
    await db.drop();
  }
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      sqlite: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      size: { type: 'string' },
      runs: { type: 'string' },
      'quiet-load': { type: 'string' },
      out: { type: 'string' },
    },
  });
  runStats({
    store: values.sqlite ? 'sqlite' : 'mysql',
    size: Number(values.size ?? (values.quick ? 100_000 : 1_000_000)),
    runs: Number(values.runs ?? 7),
    resultsDir: values.out ?? join(BENCH_DIR, 'results'),
    quietLoad: Number(values['quiet-load'] ?? 0),
  }).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
