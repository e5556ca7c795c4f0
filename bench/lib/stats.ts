// Figures as the benchmark README reports them: each is the median of several runs taken
// after a warm-up, with the min and max next to it so the spread stays visible.
export interface Figure {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function figure(runs: number[]): Figure {
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs };
}

/** The p-th percentile (0–100) of samples, nearest-rank. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Runs `measure` once to warm up (result dropped) unless told not to, then `runs` times; per-key figures. */
export async function repeat<K extends string>(
  runs: number,
  warmup: boolean,
  measure: (run: number) => Promise<Record<K, number>>,
): Promise<Record<K, Figure>> {
  if (warmup) await measure(-1);
  const samples: Record<string, number[]> = {};
  for (let run = 0; run < runs; run++) {
    const result = await measure(run);
    for (const [key, value] of Object.entries(result)) (samples[key] ??= []).push(value as number);
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, figure(v)])) as Record<K, Figure>;
}

export const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

/** "1,234 (1,100–1,300)" for a table cell. */
export function cell(f: Figure | undefined, digits = 1): string {
  if (!f) return '—';
  const fmt = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return `${fmt(f.median)} (${fmt(f.min)}–${fmt(f.max)})`;
}

/** Plain text table for the terminal. */
export function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ');
  console.log(`\n${title}\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const r of rows) console.log(line(r));
}
