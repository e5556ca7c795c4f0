// The server process is killed with SIGKILL mid-stream (no shutdown hook runs, requests
// in flight are cut) while several clients send events, then started again on the same
// database; the clients resend whatever was not acknowledged, as Canvas does. Every
// event ends up in the log exactly once and the projections equal a clean run's.
// Runs on a SQLite file and, with TEST_MYSQL_URL, on MySQL.
//
// CI: 160 events, 6 clients, one kill. Soak: RELIABILITY_CRASH_EVENTS=3000
// RELIABILITY_CRASHES=10 (kills spread evenly over the stream).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../src/db/data-source';
import { entities, migrations } from '../../src/modules';
import { CanvasSender, until } from '../support/canvas-sender';
import { sampleCorpus } from '../support/corpus';
import { createMysqlDatabase, createTestDatabase, databaseKinds } from '../support/databases';
import { appendEvents } from '../support/ingest-app';
import { auditLog } from '../support/log-audit';
import { snapshotProjections } from '../support/projections';
import { killAllServices, ServiceProcess, startService } from '../support/service-process';

const EVENTS = Number(process.env.RELIABILITY_CRASH_EVENTS ?? 160);
const CRASHES = Number(process.env.RELIABILITY_CRASHES ?? 1);

afterAll(killAllServices);

for (const kind of databaseKinds) {
  describe(`crash and restart [${kind}]`, () => {
    let url: string;
    let cleanup: () => Promise<void>;
    let direct: DataSource | undefined;

    beforeAll(async () => {
      if (kind === 'sqlite') {
        const dir = mkdtempSync(join(tmpdir(), 'crash-'));
        url = `sqlite:${join(dir, 'events.sqlite')}`;
        cleanup = async () => rmSync(dir, { recursive: true, force: true });
      } else {
        const db = await createMysqlDatabase();
        url = db.url;
        cleanup = db.drop;
      }
    });

    afterAll(async () => {
      await killAllServices();
      await direct?.destroy();
      await cleanup?.();
    });

    it(
      `keeps every event exactly once across ${CRASHES} kill -9 and restart, with the projections of a clean run`,
      async () => {
        const events = sampleCorpus(EVENTS, 9100);
        let service: ServiceProcess | null = await startService(url);
        let base: string | null = service.url;
        const sender = new CanvasSender({
          baseUrl: () => base,
          events,
          clients: 6,
          batchSizes: [1, 4, 1, 2, 1, 8],
          deadlineMs: 60_000 + CRASHES * 20_000,
          retryDelayMs: 10,
        });
        const sending = sender.run();
        const cutsLost: number[] = [];
        for (let crash = 1; crash <= CRASHES; crash++) {
          await until(() => sender.ackCount >= (EVENTS * crash) / (CRASHES + 1), 60_000, `acks before crash ${crash}`);
          const lostBefore = sender.report.statuses.get(0) ?? 0;
          await service!.kill();
          base = null;
          cutsLost.push((sender.report.statuses.get(0) ?? 0) - lostBefore);
          service = await startService(url);
          base = service.url;
        }
        const report = await sending;
        await service.stop();
        service = null;

        expect(report.unexpected).toEqual([]);
        expect(report.acked.size).toBe(EVENTS);
        direct = await openDataSource({ url, entities, migrations, migrate: false });
        expect(await auditLog(direct, events, report.acked, { mustContainAll: true })).toEqual([]);

        const clean = await createTestDatabase(kind);
        try {
          await appendEvents(clean, events, { batch: true });
          expect(await snapshotProjections(direct)).toEqual(await snapshotProjections(clean.dataSource));
        } finally {
          await clean.drop();
        }
      },
      120_000 + CRASHES * 30_000,
    );
  });
}
