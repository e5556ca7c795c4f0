// npm run bench:import [-- --sqlite] [--runs 5] [--import-mb 64]
// A generated NDJSON file through `npm run import` in a child process, as an operator
// runs it: events/s (wall time of the whole command, start-up included) and peak RSS
// (VmHWM from /proc/<pid>/status of the node process running the import).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusLines } from './lib/corpus';
import { rawConnection } from './lib/db';
import { BENCH_DIR, BenchOptions, load1, parseOptions, waitForQuiet } from './lib/options';
import { saveSection } from './lib/results';
import { cell, Figure, printTable, repeat } from './lib/stats';
import { freshDatabase } from './ingest';
import { runCli } from '../src/cli/runtime';

export interface ImportResult {
  megabytes: number;
  lines: number;
  eventsPerSecond: Figure;
  peakRssMB: Figure;
}

export const TARGETS = { peakRssMB: 250 };

/** Writes about `megabytes` of generated NDJSON; returns its line count. */
async function writeCorpus(path: string, megabytes: number): Promise<number> {
  const out = createWriteStream(path);
  const limit = megabytes * 2 ** 20;
  let bytes = 0;
  let lines = 0;
  for (const line of corpusLines({ count: Number.MAX_SAFE_INTEGER, seed: 11 })) {
    if (bytes >= limit) break;
    const text = line + '\n';
    bytes += Buffer.byteLength(text);
    lines++;
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return lines;
}

/** Peak resident set (VmHWM, kB) of a process, or 0 once it is gone. */
function vmHwmKb(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** The descendants of `pid` whose command line runs the import CLI. */
function importProcesses(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone */
    }
  }
  const isDescendant = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === root) return true;
    return false;
  };
  return [...parent.keys()].filter((pid) => {
    if (pid !== root && !isDescendant(pid)) return false;
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('src/cli/import.ts');
    } catch {
      return false;
    }
  });
}

async function runOnce(file: string, databaseUrl: string): Promise<{ seconds: number; peakKb: number }> {
  const t0 = performance.now();
  const child = spawn('npm', ['run', '--silent', 'import', '--', file], {
    cwd: join(BENCH_DIR, '..'),
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => void (stderr += d.toString()));
  const peaks = new Map<number, number>();
  const poll = setInterval(() => {
    for (const pid of importProcesses(child.pid!)) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, vmHwmKb(pid)));
  }, 100);
  const [code] = (await once(child, 'exit')) as [number];
  clearInterval(poll);
  if (code !== 0) throw new Error(`npm run import exited with ${code}: ${stderr.slice(-500)}`);
  return { seconds: (performance.now() - t0) / 1000, peakKb: Math.max(0, ...peaks.values()) };
}

export async function runImport(options: BenchOptions): Promise<ImportResult> {
  const { db, version } = await freshDatabase(options);
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-'));
  const raw = await rawConnection(db.url);
  try {
    const file = join(dir, 'events.ndjson');
    const lines = await writeCorpus(file, options.importMegabytes);
    const megabytes = statSync(file).size / 2 ** 20;
    // The warm-up (database, page cache, npm) imports a small file: at 1 GB, a full-size
    // warm-up would double a run that takes minutes and warms nothing more.
    const warmUp = join(dir, 'warm-up.ndjson');
    if (!options.tiny) await writeCorpus(warmUp, Math.min(8, options.importMegabytes));
    const start = await waitForQuiet(options.quietLoad);
    if (!options.tiny) {
      await raw.truncateAll();
      await runOnce(warmUp, db.url);
    }
    const figures = await repeat(options.runs, false, async () => {
      await raw.truncateAll();
      const { seconds, peakKb } = await runOnce(file, db.url);
      return { eventsPerSecond: lines / seconds, peakRssMB: peakKb / 1024 };
    });
    const result: ImportResult = { megabytes: Number(megabytes.toFixed(1)), lines, ...figures };
    printTable(
      `Import (${options.store}; ${result.megabytes} MB, ${lines.toLocaleString('en-US')} lines; median (min–max) of ${options.runs} runs after a warm-up)`,
      ['measure', 'value', 'target'],
      [
        ['events/s (wall time of npm run import)', cell(result.eventsPerSecond, 0), ''],
        ['peak RSS MB (VmHWM)', cell(result.peakRssMB, 0), `≤ ${TARGETS.peakRssMB}`],
      ],
    );
    saveSection(options, options.store, version, 'import', {
      measuredAt: new Date().toISOString(),
      load: { start, end: load1() },
      runs: options.runs,
      ...result,
    });
    return result;
  } finally {
    await raw.close();
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  }
}

if (require.main === module) runCli(() => runImport(parseOptions()).then(() => undefined));
