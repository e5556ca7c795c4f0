// Every bench at a tiny size, so the bench scripts cannot rot unnoticed: they run, the
// service answers what the hand-written SQL and the naive resolvers answer, and the
// results file and README come out. The figures themselves are not checked here.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runImport } from '../../bench/import';
import { runIngest } from '../../bench/ingest';
import { parseOptions } from '../../bench/lib/options';
import { runQuery } from '../../bench/query';
import { runScale } from '../../bench/scale';
import { databaseKinds } from '../support/databases';

for (const store of databaseKinds) {
  describe(`bench scripts at tiny size [${store}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
    const options = parseOptions(['--tiny', ...(store === 'sqlite' ? ['--sqlite'] : [])], {
      resultsDir: join(dir, 'results'),
      readmePath: join(dir, 'README.md'),
    });
    const previous = process.env.BENCH_MYSQL_URL;
    beforeAll(() => {
      if (store === 'mysql') process.env.BENCH_MYSQL_URL = process.env.TEST_MYSQL_URL;
    });
    afterAll(() => {
      process.env.BENCH_MYSQL_URL = previous;
      rmSync(dir, { recursive: true, force: true });
    });

    it('ingests batched and single events and measures the raw limit', async () => {
      const result = await runIngest(options);
      expect(result.batched.serviceEventsPerSecond.median).toBeGreaterThan(0);
      expect(result.batched.rawEventsPerSecond.median).toBeGreaterThan(0);
      expect(result.single.eventsPerSecond.median).toBeGreaterThan(0);
      expect(result.single.errors.median).toBe(0);
    });

    it('answers the dashboard the same three ways, with statements constant in N', async () => {
      const rows = await runQuery(options);
      const service = rows.filter((r) => r.variant === 'service');
      expect(new Set(service.map((r) => r.statements)).size).toBe(1);
      expect(rows.find((r) => r.variant === 'naive' && r.n === 20)!.statements).toBeGreaterThan(service[0].statements);
    });

    it('loads two sizes and times the four reads', async () => {
      const rows = await runScale(options);
      expect(rows.map((r) => r.events)).toEqual([expect.any(Number), expect.any(Number)]);
      expect(rows[1].events).toBeGreaterThan(rows[0].events);
    });

    it('imports a file through npm run import and reads its peak RSS', async () => {
      const result = await runImport(options);
      expect(result.lines).toBeGreaterThan(0);
      expect(result.peakRssMB.median).toBeGreaterThan(20);
    });

    it('writes latest.json, the README and the chart', () => {
      const results = JSON.parse(readFileSync(join(dir, 'results', 'latest.json'), 'utf8'));
      expect(Object.keys(results.stores[store]).sort()).toEqual(['import', 'ingest', 'query', 'scale']);
      expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('## Reproduce');
      expect(existsSync(join(dir, 'results', 'scale.svg'))).toBe(true);
    });
  });
}
