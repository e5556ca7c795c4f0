// bench:stats at a tiny size, so the script cannot rot unnoticed: it loads, the engine
// and the hand-written GROUP BY give the same groups, so do the service's GraphQL answer
// and the hand-written route of the bench server (the script throws otherwise), and
// every comparison gets a figure. The figures themselves are not checked here.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStats } from '../../bench/stats';
import { databaseKinds } from '../support/databases';

for (const store of databaseKinds) {
  describe(`bench:stats at tiny size [${store}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-stats-smoke-'));
    const previous = process.env.BENCH_MYSQL_URL;
    beforeAll(() => {
      if (store === 'mysql') process.env.BENCH_MYSQL_URL = process.env.TEST_MYSQL_URL;
    });
    afterAll(() => {
      process.env.BENCH_MYSQL_URL = previous;
      rmSync(dir, { recursive: true, force: true });
    });

    it('times the engine and the GraphQL path against the hand-written GROUP BY, paired', async () => {
      const figures = await runStats({ store, size: 6000, runs: 1, resultsDir: dir, quietLoad: 0 });
      expect(figures.map((f) => f.name)).toHaveLength(9);
      expect(figures.filter((f) => f.name.startsWith('GraphQL over HTTP'))).toHaveLength(4);
      for (const f of figures) expect(f.ratio.median).toBeGreaterThan(0);
      expect(existsSync(join(dir, `stats-${store}.json`))).toBe(true);
    });
  });
}
