// Command-line options shared by every bench script, and the machine they ran on.
import { cpus, freemem, loadavg, release, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Store } from './db';

export interface BenchOptions {
  store: Store;
  /** Measured runs per figure (after one warm-up). */
  runs: number;
  /** Tiny sizes, one run: the smoke test's mode. */
  tiny: boolean;
  resultsDir: string;
  readmePath: string;
  /** Wait (up to 15 min) for the 1-minute load average to drop below this before measuring; 0: don't. */
  quietLoad: number;
  ingestEvents: number;
  singleSeconds: number;
  querySizes: number[];
  scaleSizes: number[];
  importMegabytes: number;
  /** Write a CPU profile of the server process (ingest) to this directory. */
  cpuProf: string | null;
}

export const BENCH_DIR = join(__dirname, '..');

export function parseOptions(
  argv: string[] = process.argv.slice(2),
  overrides: Partial<BenchOptions> = {},
): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      sqlite: { type: 'boolean', default: false },
      tiny: { type: 'boolean', default: false },
      runs: { type: 'string' },
      out: { type: 'string' },
      readme: { type: 'string' },
      'quiet-load': { type: 'string' },
      events: { type: 'string' },
      seconds: { type: 'string' },
      sizes: { type: 'string' },
      scale: { type: 'string' },
      '10m': { type: 'boolean', default: false },
      'import-mb': { type: 'string' },
      'cpu-prof': { type: 'string' },
    },
  });
  const tiny = values.tiny === true;
  const list = (v: string | undefined, fallback: number[]) =>
    v ? v.split(',').map((x) => Number(x.trim())) : fallback;
  const scaleSizes = list(values.scale, tiny ? [500, 1000] : [100_000, 1_000_000]);
  if (values['10m']) scaleSizes.push(10_000_000);
  return {
    store: values.sqlite ? 'sqlite' : 'mysql',
    runs: Number(values.runs ?? (tiny ? 1 : 5)),
    tiny,
    resultsDir: values.out ?? join(BENCH_DIR, 'results'),
    readmePath: values.readme ?? join(BENCH_DIR, 'README.md'),
    quietLoad: Number(values['quiet-load'] ?? 0),
    ingestEvents: Number(values.events ?? (tiny ? 200 : 20_000)),
    singleSeconds: Number(values.seconds ?? (tiny ? 1 : 10)),
    querySizes: list(values.sizes, tiny ? [10, 20] : [10, 100, 1000]),
    scaleSizes,
    importMegabytes: Number(values['import-mb'] ?? (tiny ? 0.2 : 256)),
    cpuProf: values['cpu-prof'] ?? null,
    ...overrides,
  };
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
}

export function machine(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${osType()} ${release()}`,
    node: process.version,
  };
}

export const load1 = (): number => Number(loadavg()[0].toFixed(2));
export const freeMemoryGiB = (): number => Number((freemem() / 2 ** 30).toFixed(1));

/** Polls every 30 s until the 1-minute load average is below `threshold` (at most 15 min). */
export async function waitForQuiet(threshold: number): Promise<number> {
  if (threshold <= 0) return load1();
  const deadline = Date.now() + 15 * 60_000;
  while (load1() >= threshold && Date.now() < deadline) {
    console.log(`load average ${load1()} ≥ ${threshold}: waiting 30 s for the machine to quieten`);
    await new Promise((r) => setTimeout(r, 30_000));
  }
  return load1();
}
