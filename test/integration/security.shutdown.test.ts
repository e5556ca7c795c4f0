// Graceful shutdown as an operator meets it: src/main.ts in a child process, requests
// still arriving when SIGTERM comes. New connections are refused at once; every request
// already received is answered (2xx, committed); the pool closes; the exit code is 0
// within the configured bound.
import { mkdtempSync, rmSync } from 'node:fs';
import { ClientRequest, IncomingMessage, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../src/db/data-source';
import { entities, migrations } from '../../src/modules';
import { EventRecord } from '../../src/log/event.entity';
import { submissionEvent } from '../support/builders';
import { createMysqlDatabase, databaseKinds } from '../support/databases';
import { canConnect, freePort, startMain } from '../support/main-process';

const INGEST_TOKEN = 'shutdown-ingest-token-0123456789';

interface Database {
  url: string;
  drop(): Promise<void>;
}

async function emptyDatabase(kind: 'sqlite' | 'mysql'): Promise<Database> {
  if (kind === 'mysql') return createMysqlDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'shutdown-'));
  return {
    url: `sqlite:${join(dir, 'events.sqlite')}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A POST /events whose headers and first half of the body are sent now, the rest on `finish()`. */
function slowPost(port: number, body: string) {
  const bytes = Buffer.from(body);
  const half = Math.floor(bytes.length / 2);
  let req: ClientRequest;
  const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/events',
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': bytes.length,
          Authorization: `Bearer ${INGEST_TOKEN}`,
        },
      },
      (res: IncomingMessage) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.write(bytes.subarray(0, half));
  });
  return { answered, finish: () => req.end(bytes.subarray(half)) };
}

async function storedIds(url: string): Promise<string[]> {
  const dataSource: DataSource = await openDataSource({ url, entities, migrations, migrate: false });
  try {
    return (await dataSource.getRepository(EventRecord).find({ select: { id: true } })).map((e) => String(e.id));
  } finally {
    await dataSource.destroy();
  }
}

for (const kind of databaseKinds) {
  describe(`graceful shutdown [${kind}]`, () => {
    let db: Database;

    beforeEach(async () => {
      db = await emptyDatabase(kind);
    });
    afterEach(() => db.drop());

    it('answers every request in flight at SIGTERM, refuses new connections, commits all and exits 0', async () => {
      const port = await freePort();
      const service = startMain({
        DATABASE_URL: db.url,
        PORT: String(port),
        INGEST_TOKENS: INGEST_TOKEN,
        READ_TOKENS: 'r-0123456789abcdef',
      });
      await service.waitForLine(/listening on/);

      const inFlight = Array.from({ length: 6 }, () => slowPost(port, JSON.stringify(submissionEvent())));
      await sleep(300); // the server has every request's headers
      const signalled = Date.now();
      service.child.kill('SIGTERM');
      await service.waitForLine(/shutting down/);

      await sleep(100); // the listening socket closes on the next turn of the event loop
      expect(await canConnect(port)).toBe(false);
      for (const request of inFlight) request.finish();
      const answers = await Promise.all(inFlight.map((r) => r.answered));
      const { code } = await service.exited;

      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(code).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(10_000);
      expect(service.stdout.some((line) => /"msg":"stopped"/.test(line))).toBe(true);
      const ids = answers.map((a) => JSON.parse(a.body).id as string);
      expect((await storedIds(db.url)).sort()).toEqual([...ids].sort());
    });

    it('exits 0 within SHUTDOWN_TIMEOUT_MS when a client never finishes its request', async () => {
      const port = await freePort();
      const service = startMain({ DATABASE_URL: db.url, PORT: String(port), SHUTDOWN_TIMEOUT_MS: '1500' });
      await service.waitForLine(/listening on/);
      const stuck = slowPost(port, JSON.stringify(submissionEvent()));
      stuck.answered.catch(() => undefined); // its connection is cut
      await sleep(300);
      const signalled = Date.now();
      service.child.kill('SIGTERM');
      const { code } = await service.exited;
      expect(code).toBe(0);
      expect(Date.now() - signalled).toBeGreaterThanOrEqual(1400);
      expect(Date.now() - signalled).toBeLessThan(6_000);
      expect(service.stdout.some((line) => /did not finish in time/.test(line))).toBe(true);
      expect(await storedIds(db.url)).toEqual([]);
    });
  });
}
