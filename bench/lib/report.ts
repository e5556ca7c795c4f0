// Renders bench/README.md from results/latest.json: what each bench measures, the
// figures against their targets, the machine, the scaling chart (an SVG written next to
// the results) and how to reproduce. Notes that are not measurements live in
// bench/NOTES.md and are appended as they are.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Store } from './db';
import type { Results, Section } from './results';
import { replicasSection } from './report-replicas';
import { cell, Figure } from './stats';

const fmt = (x: number, digits = 1) => x.toLocaleString('en-US', { maximumFractionDigits: digits });
const verdict = (ok: boolean) => (ok ? '**met**' : '**missed**');

function ingestTable(s: Section): string {
  const b = s.batched as Record<string, Figure>;
  const x = s.single as Record<string, Figure>;
  return [
    `| measure | median (min–max) | target |`,
    `| --- | --- | --- |`,
    `| batched NDJSON over HTTP (${fmt(Number(s.events), 0)} events, 1,000 a request), events/s | ${cell(b.serviceEventsPerSecond, 0)} | |`,
    `| raw limit: same rows, bare driver, multi-row INSERTs, 1,000-event transactions, events/s | ${cell(b.rawEventsPerSecond, 0)} | |`,
    `| batched ÷ raw limit | ${cell(b.ratio, 2)} | ≥ 0.8 ${verdict(b.ratio.median >= 0.8)} |`,
    ...(b.decodeEventsPerSecond
      ? [
          `| decoding alone: parse, envelope, hash, schema check of the same batches, no database, events/s | ${cell(b.decodeEventsPerSecond, 0)} | |`,
          `| batched ÷ (raw limit + decoding) | ${cell(b.ceilingRatio, 2)} | |`,
        ]
      : []),
    `| single-event POSTs, ${s.connections} clients, events/s | ${cell(x.eventsPerSecond, 0)} | ≥ 2,000 ${verdict(x.eventsPerSecond.median >= 2000)} |`,
    `| single-event latency p50, ms | ${cell(x.p50, 1)} | |`,
    `| single-event latency p99, ms | ${cell(x.p99, 1)} | < 50 ${verdict(x.p99.median < 50)} |`,
    `| single-event errors (non-2xx, timeouts) | ${cell(x.errors, 0)} | 0 |`,
    ...(s.httpFloor
      ? [
          `| HTTP floor: the same server's GET /healthz (every middleware, no body, no database), ${s.connections} clients, requests/s | ${cell((s.httpFloor as Record<string, Figure>).requestsPerSecond, 0)} | |`,
        ]
      : []),
  ].join('\n');
}

interface QueryRow {
  n: number;
  variant: 'service' | 'hand' | 'naive';
  p50: Figure;
  p99: Figure;
  statements: number;
}

function queryTable(s: Section): string {
  const rows = s.rows as QueryRow[];
  const find = (n: number, v: string) => rows.find((r) => r.n === n && r.variant === v);
  const service = rows.filter((r) => r.variant === 'service');
  const constant = new Set(service.map((r) => r.statements)).size === 1;
  const lines = [
    `| N | variant | p50 ms | p99 ms | SQL statements | p50 ÷ hand SQL | naive ÷ service |`,
    `| --- | --- | --- | --- | --- | --- | --- |`,
    ...rows.map((r) => {
      const hand = find(r.n, 'hand')!;
      const naive = find(r.n, 'naive')!;
      return `| ${fmt(r.n, 0)} | ${r.variant} | ${cell(r.p50, 1)} | ${cell(r.p99, 1)} | ${r.statements} | ${(r.p50.median / hand.p50.median).toFixed(2)}× | ${
        r.variant === 'service' ? (naive.p50.median / r.p50.median).toFixed(1) + '×' : ''
      } |`;
    }),
  ];
  const largest = service[service.length - 1];
  const targets = [
    `- statements constant in N: ${service.map((r) => r.statements).join(', ')} → ${verdict(constant)}`,
    `- p50 ≤ 1.5× hand SQL: ${service.map((r) => `${(r.p50.median / find(r.n, 'hand')!.p50.median).toFixed(2)}× at N = ${fmt(r.n, 0)}`).join(', ')} → ${verdict(
      service.every((r) => r.p50.median <= 1.5 * find(r.n, 'hand')!.p50.median),
    )}`,
    `- ≥ 10× faster than naive at N = ${fmt(largest.n, 0)}: ${(find(largest.n, 'naive')!.p50.median / largest.p50.median).toFixed(1)}× → ${verdict(
      find(largest.n, 'naive')!.p50.median >= 10 * largest.p50.median,
    )}`,
  ];
  return lines.join('\n') + '\n\n' + targets.join('\n');
}

const QUERIES = ['firstPage', 'deepPage', 'filteredPage', 'pointLookup'] as const;
const LABEL: Record<(typeof QUERIES)[number], string> = {
  firstPage: 'first page',
  deepPage: 'deep page (cursor at 90 %)',
  filteredPage: 'filtered page (course + state, by updatedAt)',
  pointLookup: 'point lookup',
};
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];

interface ScaleRow {
  events: number;
  submissions: number;
  loadSeconds: number;
  p50: Record<(typeof QUERIES)[number], Figure>;
}

function scaleTable(s: Section): string {
  const rows = s.rows as ScaleRow[];
  const first = rows[0];
  const lines = [
    `| events | submissions | load s | ${QUERIES.map((q) => `${LABEL[q]} p50 ms`).join(' | ')} | worst ÷ ${fmt(first.events, 0)} |`,
    `| --- | --- | --- | ${QUERIES.map(() => '---').join(' | ')} | --- |`,
    ...rows.map((r) => {
      const worst = Math.max(...QUERIES.map((q) => r.p50[q].median / first.p50[q].median));
      return `| ${fmt(r.events, 0)} | ${fmt(r.submissions, 0)} | ${fmt(r.loadSeconds, 0)} | ${QUERIES.map((q) => cell(r.p50[q], 2)).join(' | ')} | ${worst.toFixed(2)}× ${
        r === first ? '' : `(target ≤ 1.5: ${verdict(worst <= 1.5)})`
      } |`;
    }),
  ];
  return lines.join('\n') + `\n\nLoading: ${String(s.loading)} (seed: ${fmt(Number(s.seedEvents), 0)} events).`;
}

/** Lines of p50 against store size (log x), one per query kind, with min–max whiskers. */
export function scaleSvg(stores: Partial<Record<Store, Section>>): string {
  const series: Array<{ store: Store; rows: ScaleRow[] }> = (Object.entries(stores) as [Store, Section][]).map(
    ([store, s]) => ({ store, rows: s.rows as ScaleRow[] }),
  );
  const W = 720;
  const H = 360;
  const m = { l: 60, r: 220, t: 30, b: 50 };
  const all = series.flatMap((s) => s.rows);
  const xs = all.map((r) => Math.log10(r.events));
  const xMin = Math.min(...xs) - 0.15;
  const xMax = Math.max(...xs) + 0.15;
  const yMax = Math.max(1, ...all.flatMap((r) => QUERIES.map((q) => r.p50[q].max))) * 1.1;
  const x = (events: number) => m.l + ((Math.log10(events) - xMin) / (xMax - xMin || 1)) * (W - m.l - m.r);
  const y = (ms: number) => H - m.b - (ms / yMax) * (H - m.t - m.b);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${m.l}" y="18" font-size="14">p50 latency over HTTP vs events stored (median of runs; bars: min–max)</text>`,
    `<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="black"/>`,
    `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="black"/>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    parts.push(
      `<line x1="${m.l}" y1="${y(v)}" x2="${W - m.r}" y2="${y(v)}" stroke="#ddd"/>`,
      `<text x="${m.l - 6}" y="${y(v) + 4}" text-anchor="end">${fmt(v, 1)}</text>`,
    );
  }
  for (const events of [...new Set(all.map((r) => r.events))]) {
    parts.push(`<text x="${x(events)}" y="${H - m.b + 16}" text-anchor="middle">${fmt(events, 0)}</text>`);
  }
  parts.push(
    `<text x="${(m.l + W - m.r) / 2}" y="${H - 10}" text-anchor="middle">events in the log (log scale)</text>`,
  );
  parts.push(
    `<text x="14" y="${(m.t + H - m.b) / 2}" transform="rotate(-90 14 ${(m.t + H - m.b) / 2})" text-anchor="middle">ms</text>`,
  );
  let legend = 0;
  for (const s of series) {
    QUERIES.forEach((q, i) => {
      const color = COLORS[i];
      const dash = s.store === 'sqlite' ? ' stroke-dasharray="5 3"' : '';
      const points = s.rows.map((r) => `${x(r.events).toFixed(1)},${y(r.p50[q].median).toFixed(1)}`).join(' ');
      parts.push(`<polyline points="${points}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`);
      for (const r of s.rows) {
        parts.push(
          `<line x1="${x(r.events)}" y1="${y(r.p50[q].min)}" x2="${x(r.events)}" y2="${y(r.p50[q].max)}" stroke="${color}"/>`,
          `<circle cx="${x(r.events)}" cy="${y(r.p50[q].median)}" r="3" fill="${color}"/>`,
        );
      }
      const ly = m.t + 10 + legend++ * 18;
      parts.push(
        `<line x1="${W - m.r + 12}" y1="${ly}" x2="${W - m.r + 36}" y2="${ly}" stroke="${color}" stroke-width="2"${dash}/>`,
        `<text x="${W - m.r + 42}" y="${ly + 4}">${s.store}: ${LABEL[q].replace(/ \(.*\)/, '')}</text>`,
      );
    });
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

export function renderReadme(results: Results, resultsDir: string): string {
  const readmeDir = join(resultsDir, '..');
  const out: string[] = [
    '# Benchmarks',
    '',
    '<!-- Generated by the bench scripts from results/latest.json: edit bench/lib/report.ts or bench/NOTES.md, not this file. -->',
    '',
    'Speed claimed only where measured, as ratios against a baseline run in the same bench run.',
    'Every figure is the **median of the measured runs after one warm-up run, with (min–max)**.',
    '',
    '## Machine',
    '',
    `- CPU: ${results.machine.cpu}, ${results.machine.cores} cores; memory ${results.machine.memoryGiB} GiB; ${results.machine.os}; Node ${results.machine.node}`,
    ...Object.entries(results.machine.databases).map(([store, v]) => `- ${store}: ${v}`),
    '- The load generator, the service and the database share these cores (the service runs in a child process).',
    '',
  ];
  for (const [store, sections] of Object.entries(results.stores) as [Store, Record<string, Section>][]) {
    const when = (s: Section) =>
      `_${s.measuredAt.slice(0, 16).replace('T', ' ')} UTC, ${s.runs} runs, 1-min load average ${s.load.start} at start, ${s.load.end} at end._`;
    out.push(`## Results: ${store}`, '');
    if (sections.ingest) out.push('### Ingest', '', when(sections.ingest), '', ingestTable(sections.ingest), '');
    if (sections.query) {
      out.push('### Query: the course dashboard', '', when(sections.query), '', queryTable(sections.query), '');
    }
    if (sections.scale) out.push('### Scale', '', when(sections.scale), '', scaleTable(sections.scale), '');
    if (sections.replicas) {
      const s = sections.replicas;
      out.push(
        '### Read replicas',
        '',
        when(s),
        '',
        `The course dashboard (${fmt(Number(s.submissions), 0)} submissions) from ${s.connections} clients for ${s.seconds} s a run, with 0, 1 and 2 GTID replicas (\`npm run bench:replicas\`).`,
        '',
        replicasSection(s, results.machine.cores),
        '',
      );
    }
    if (sections.import) {
      const s = sections.import;
      out.push(
        '### Import',
        '',
        when(s),
        '',
        `A generated NDJSON file of ${fmt(Number(s.megabytes))} MB (${fmt(Number(s.lines), 0)} lines) through \`npm run import\` in a child process.`,
        '',
        '| measure | median (min–max) | target |',
        '| --- | --- | --- |',
        `| events/s (wall time of the command, start-up included) | ${cell(s.eventsPerSecond as Figure, 0)} | |`,
        `| peak RSS, MB (VmHWM of the import process) | ${cell(s.peakRssMB as Figure, 0)} | ≤ 250 ${verdict((s.peakRssMB as Figure).median <= 250)} |`,
        '',
      );
    }
  }
  const scale = Object.fromEntries(
    (Object.entries(results.stores) as [Store, Record<string, Section>][])
      .filter(([, s]) => s.scale)
      .map(([k, s]) => [k, s.scale]),
  ) as Partial<Record<Store, Section>>;
  if (Object.keys(scale).length > 0) {
    const svgPath = join(resultsDir, 'scale.svg');
    writeFileSync(svgPath, scaleSvg(scale));
    out.push('## Scaling chart', '', `![p50 latency vs events stored](${relative(readmeDir, svgPath)})`, '');
  }
  out.push(
    '## What is measured',
    '',
    '- **Ingest.** A generated corpus with the seed mix of the eight fixture event types (submission updated 35 %, created 15 %, comments 20 %, messages 12 %, conversations 8 %, resource links 10 %), distinct ids, clocks with assorted UTC offsets, non-ASCII text, and 2 % exact re-deliveries. *Batched*: NDJSON, 1,000 events a request, one client, one request at a time. *Raw limit*: the rows that ingest wrote (event log and every projection table) are read back, the tables emptied, and the same rows written by the bare driver (mysql2 / better-sqlite3) with one multi-row INSERT per table per transaction, 1,000 events’ rows a transaction: the database’s cost for the same end state, with no parsing, hashing, validation or read-before-write. *Decoding alone*: the bench process parses, envelopes, hashes and schema-checks the same batches with no database: work every ingest does and the raw limit skips. *Single*: one event per POST from 16 concurrent autocannon connections for a fixed time; requests that arrive while a transaction runs are committed together (group commit). *HTTP floor*: the same server answering `GET /healthz` (every middleware, no body, no database) from as many connections.',
    '- **Query.** `courses(filter: {ids}) → submissions(first) → comments(first: 5), history, course`, N submissions in total (a page holds at most 100, so N = 1,000 is ten courses of 100). *service*: the real /graphql. *hand*: six hand-written statements through the bare driver (ROW_NUMBER per-parent pages, GROUP BY counts), answered as the same JSON by a bare Express route. *naive*: the same fields on a plain graphql-js schema served by Apollo, each resolver querying for its own parent through TypeORM repositories, no DataLoader. The three answers are checked equal before timing. Statements are counted by the DataSource logger (`onQuery`).',
    '- **Scale.** First page, deep page (cursor at 90 % of the submissions by id), filtered page and point lookup, over HTTP, at each store size. No `totalCount` is asked: a count of a whole table is linear by nature.',
    '- **Import.** `npm run import -- FILE` in a child process (`node --max-old-space-size=256`, as the script runs it), after a warm-up import of an 8 MB file; the peak RSS is the VmHWM of the node process running `src/cli/import.ts` (npm itself excluded).',
    '',
  );
  const notes = join(readmeDir, 'NOTES.md');
  if (existsSync(notes)) out.push(readFileSync(notes, 'utf8').trim(), '');
  out.push(
    '## Reproduce',
    '',
    '```sh',
    '# MariaDB/MySQL: BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306/test) names the server;',
    '# each run creates a database bench_<random> next to it and drops it afterwards.',
    'npm run bench                      # all four, MySQL',
    'npm run bench -- --sqlite          # all four, SQLite in a temp file',
    'npm run bench:ingest -- --events 20000 --seconds 10 [--cpu-prof DIR]',
    'npm run bench:query -- --sizes 10,100,1000',
    'npm run bench:scale -- --scale 100000,1000000 [--10m]',
    'npm run bench:import -- --import-mb 64      # --import-mb 1024 for the 1 GB file',
    'npm run bench:replicas -- --seconds 10   # its own MariaDB primary and 2 GTID replicas (needs mariadb-install-db)',
    '# common: --runs 5 (after one warm-up), --quiet-load 1 (wait for a quiet machine),',
    '#         --out DIR / --readme FILE (where latest.json and this README go), --tiny (smoke sizes)',
    '```',
    '',
    `Raw results: [${relative(readmeDir, join(resultsDir, 'latest.json'))}](${relative(readmeDir, join(resultsDir, 'latest.json'))}).`,
    '',
  );
  return out.join('\n');
}
