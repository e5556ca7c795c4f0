// npm run bench:export [-- --sqlite] [--rows 1000000] [--changes 1000]
// GET /export/submissions.ndjson and .csv of N submissions (default 1,000,000) from the
// service in its own process, as deployed (node dist/src/main.js), read by a client that takes
// the answer as fast as it comes: wall time, rows/s, bytes, and the server's peak RSS
// (VmHWM from /proc/<pid>/status) before and after. Then `--changes` submission events
// are posted through POST /events and the export resumed from the first answer's
// X-Next-Cursor: it must hold exactly the rows those events wrote.
//
// Loading: one INSERT … SELECT over a generated sequence (MariaDB's seq_1_to_N, SQLite's
// recursive CTE), rows shaped like projected submissions (about 400 bytes of NDJSON each),
// changed_seq NULL as rows written before change tracking are. Results go to
// bench/results/export-<store>.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { globalIdOf, submissionEvent, unknownEvent } from '../test/support/builders';
import { createBenchDatabase, benchDataSource, rawConnection, RawConnection, Store } from './lib/db';
import { BENCH_DIR, load1, machine } from './lib/options';
import { spawnGroup } from '../test/support/process-group';
import { printTable } from './lib/stats';

export interface ExportBenchOptions {
  store: Store;
  rows: number;
  changes: number;
  resultsDir: string;
  /** Node options for the service process (e.g. --max-old-space-size=128). */
  nodeArgs: string[];
}

export interface ExportRun {
  format: 'ndjson' | 'csv';
  rows: number;
  megabytes: number;
  seconds: number;
  rowsPerSecond: number;
  /** VmHWM of the server process after the run, MB. */
  peakRssMB: number;
}

export interface ExportBenchResult {
  rows: number;
  /** VmHWM of the server process once started and warmed up (a small export), MB. */
  startRssMB: number;
  runs: ExportRun[];
  resume: { changes: number; rows: number; seconds: number; expected: number };
}

const ROOT = join(__dirname, '..');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const MAIN = join(ROOT, 'dist/src/main.js');

interface Service {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The service as deployed: `node dist/src/main.js` (built first), open mode on
 * loopback. Not the bench server of bench/lib: that one compiles TypeScript as it loads
 * (ts-node), which alone holds ~200 MB and would hide what an export costs.
 */
async function startService(databaseUrl: string, nodeArgs: string[]): Promise<Service> {
  // Built every time: a dist/ left from an older checkout would measure old code.
  execFileSync(process.execPath, [TSC, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawnGroup(process.execPath, [...nodeArgs, MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error('the service did not become ready within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Peak resident set (VmHWM) of a process, MB. */
function peakRssMB(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : 0;
}

async function load(raw: RawConnection, store: Store, rows: number): Promise<void> {
  const columns =
    'id, assignment_id, user_id, course_id, attempt, body, grade, score, late, missing, submission_type, ' +
    'workflow_state, submitted_at, graded_at, updated_at, state_version';
  const values = (n: string) =>
    `21070000000000000 + ${n}, 21070000000000000 + (${n} % 2000), 21070000000000000 + (${n} % 50000), ` +
    `21070000000000000 + (${n} % 100), 1, CONCAT('Essay ', ${n}, ', first draft: "quoted", with commas'), 'B', ` +
    `(${n} % 100) + 0.5, ${n} % 2, 0, 'online_text_entry', 'graded', '2026-01-01 10:00:00.123', ` +
    `'2026-01-02 10:00:00.456', '2026-01-02 10:00:00.456', 'v'`;
  if (store === 'mysql') {
    // 100,000 rows a statement: one 1M-row INSERT … SELECT holds a huge undo log.
    for (let start = 0; start < rows; start += 100_000) {
      const end = Math.min(rows, start + 100_000);
      await raw.query(`INSERT INTO submissions (${columns}) SELECT ${values('seq')} FROM seq_${start + 1}_to_${end}`);
    }
  } else {
    await raw.query(
      `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${rows}) ` +
        `INSERT INTO submissions (${columns}) SELECT ${values('n')} FROM s`,
    );
  }
}

/** Reads a whole export as fast as it comes; counts lines and bytes, keeps the cursor. */
async function readExport(url: string): Promise<{ lines: number; bytes: number; cursor: string; seconds: number }> {
  const started = process.hrtime.bigint();
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  let lines = 0;
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 10) lines++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { lines, bytes, cursor: res.headers.get('x-next-cursor') ?? '', seconds };
}

export async function runExportBench(options: ExportBenchOptions): Promise<ExportBenchResult> {
  const { store, rows, changes } = options;
  const db = await createBenchDatabase(store);
  const ds = await benchDataSource(db.url);
  await ds.destroy();
  const raw = await rawConnection(db.url);
  try {
    const loadStarted = Date.now();
    await load(raw, store, rows);
    console.log(
      `loaded ${rows.toLocaleString('en-US')} submissions in ${((Date.now() - loadStarted) / 1000).toFixed(0)} s`,
    );
    const server = await startService(db.url, options.nodeArgs);
    try {
      // One (unprojected) event, so the log is not empty and the cursor is above 0 (since=0 means everything).
      const first = await fetch(`${server.url}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(unknownEvent()),
      });
      if (!first.ok) throw new Error(`POST /events answered ${first.status}`);
      await readExport(`${server.url}/export/courses.ndjson`); // warm-up: code paths compiled, pool open
      const startRssMB = peakRssMB(server.pid);
      const runs: ExportRun[] = [];
      let cursor = '';
      for (const format of ['ndjson', 'csv'] as const) {
        const run = await readExport(`${server.url}/export/submissions.${format}`);
        const exported = format === 'csv' ? run.lines - 1 : run.lines;
        if (exported !== rows) throw new Error(`${format} export held ${exported} rows, not ${rows}`);
        if (format === 'ndjson') cursor = run.cursor;
        runs.push({
          format,
          rows: exported,
          megabytes: Math.round(run.bytes / 2 ** 20),
          seconds: Number(run.seconds.toFixed(1)),
          rowsPerSecond: Math.round(exported / run.seconds),
          peakRssMB: peakRssMB(server.pid),
        });
      }
      // Changes after the cursor: new submissions (fresh ids above the loaded ones).
      const events = Array.from({ length: changes }, (_, i) =>
        JSON.stringify(submissionEvent({ submissionId: globalIdOf(BigInt(rows) + 10_000_000n + BigInt(i)) })),
      );
      for (let start = 0; start < events.length; start += 500) {
        const res = await fetch(`${server.url}/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-ndjson' },
          body: events.slice(start, start + 500).join('\n'),
        });
        if (!res.ok) throw new Error(`POST /events answered ${res.status}`);
        await res.arrayBuffer();
      }
      const resumed = await readExport(`${server.url}/export/submissions.ndjson?since=${cursor}`);
      if (resumed.lines !== changes) throw new Error(`the resumed export held ${resumed.lines} rows, not ${changes}`);
      return {
        rows,
        startRssMB,
        runs,
        resume: { changes, rows: resumed.lines, seconds: Number(resumed.seconds.toFixed(2)), expected: changes },
      };
    } finally {
      await server.stop();
    }
  } finally {
    await raw.close();
    await db.drop();
  }
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      sqlite: { type: 'boolean', default: false },
      rows: { type: 'string' },
      changes: { type: 'string' },
      out: { type: 'string' },
      'node-args': { type: 'string' },
    },
  });
  const options: ExportBenchOptions = {
    store: values.sqlite ? 'sqlite' : 'mysql',
    rows: Number(values.rows ?? 1_000_000),
    changes: Number(values.changes ?? 1000),
    resultsDir: values.out ?? join(BENCH_DIR, 'results'),
    nodeArgs: values['node-args']?.split(' ').filter(Boolean) ?? [],
  };
  const loadStart = load1();
  runExportBench(options)
    .then((result) => {
      const loadEnd = load1();
      printTable(
        `GET /export/submissions, ${options.rows.toLocaleString('en-US')} rows, ${options.store}, load ${loadStart} → ${loadEnd}; server RSS at start ${result.startRssMB} MB`,
        ['format', 'rows', 'MB', 's', 'rows/s', 'peak RSS MB (target < 200)'],
        result.runs.map((r) => [
          r.format,
          String(r.rows),
          String(r.megabytes),
          String(r.seconds),
          String(r.rowsPerSecond),
          String(r.peakRssMB),
        ]),
      );
      console.log(
        `resume from X-Next-Cursor after ${result.resume.changes} new events: ${result.resume.rows} rows in ${result.resume.seconds} s`,
      );
      mkdirSync(options.resultsDir, { recursive: true });
      writeFileSync(
        join(options.resultsDir, `export-${options.store}.json`),
        JSON.stringify(
          {
            measuredAt: new Date().toISOString(),
            machine: machine(),
            load: { start: loadStart, end: loadEnd },
            ...result,
          },
          null,
          2,
        ) + '\n',
      );
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
