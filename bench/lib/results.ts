// bench/results/latest.json: every bench script merges its section in (per store), so
// `bench:query` alone refreshes only the query figures; the README is then regenerated
// from the whole file.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from './db';
import { Machine, machine } from './options';
import { renderReadme } from './report';

export interface Section {
  measuredAt: string;
  /** 1-minute load average when the measurement started and ended. */
  load: { start: number; end: number };
  runs: number;
  [key: string]: unknown;
}

export interface Results {
  machine: Machine & { databases: Partial<Record<Store, string>> };
  stores: Partial<Record<Store, Record<string, Section>>>;
}

export function readResults(dir: string): Results {
  const path = join(dir, 'latest.json');
  const fresh: Results = { machine: { ...machine(), databases: {} }, stores: {} };
  if (!existsSync(path)) return fresh;
  const old = JSON.parse(readFileSync(path, 'utf8')) as Results;
  return { machine: { ...fresh.machine, databases: old.machine?.databases ?? {} }, stores: old.stores ?? {} };
}

export function saveSection(
  options: { resultsDir: string; readmePath: string },
  store: Store,
  databaseVersion: string,
  name: string,
  section: Section,
): void {
  const results = readResults(options.resultsDir);
  results.machine.databases[store] = databaseVersion;
  (results.stores[store] ??= {})[name] = section;
  mkdirSync(options.resultsDir, { recursive: true });
  writeFileSync(join(options.resultsDir, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(options.readmePath, renderReadme(results, options.resultsDir));
}
