// /readyz follows the database: 503 while it is unreachable (or its migrations are not
// applied, or the service is draining for shutdown), 200 again once it is back.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../src/db/data-source';
import { entities, migrations } from '../../src/modules';
import { startDraining } from '../../src/server';
import { createMysqlDatabase, databaseKinds } from '../support/databases';
import { securedApp } from '../support/security';

/** A database of `kind` that can be closed and reopened (SQLite in a file, not in memory). */
async function reopenableDatabase(kind: 'sqlite' | 'mysql', options: { migrate?: boolean } = {}) {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'readyz-'));
    const dataSource = await openDataSource({
      url: `sqlite:${join(dir, 'events.sqlite')}`,
      entities,
      migrations,
      ...options,
    });
    return { dataSource, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const { url, drop } = await createMysqlDatabase();
  const dataSource = await openDataSource({ url, entities, migrations, ...options });
  return { dataSource, drop };
}

async function readiness(app: Express): Promise<[number, string]> {
  const res = await request(app).get('/readyz');
  return [res.status, res.body.status];
}

for (const kind of databaseKinds) {
  describe(`readiness at /readyz [${kind}]`, () => {
    let dataSource: DataSource;
    let drop: () => Promise<void>;
    let app: Express;

    beforeAll(async () => {
      ({ dataSource, drop } = await reopenableDatabase(kind));
      app = await securedApp({ dataSource });
    });
    afterAll(async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await drop();
    });

    it('flips to 503 when the database goes away and back to 200 when it returns', async () => {
      expect(await readiness(app)).toEqual([200, 'ready']);
      await dataSource.destroy();
      expect(await readiness(app)).toEqual([503, 'database unreachable']);
      expect((await request(app).get('/healthz')).status).toBe(200);
      await dataSource.initialize();
      expect(await readiness(app)).toEqual([200, 'ready']);
    });

    it('answers 503 while migrations are pending', async () => {
      const bare = await reopenableDatabase(kind, { migrate: false });
      try {
        const unmigrated = await securedApp({ dataSource: bare.dataSource });
        expect(await readiness(unmigrated)).toEqual([503, 'migrations pending']);
      } finally {
        await bare.dataSource.destroy();
        await bare.drop();
      }
    });

    it('answers 503 once the service starts draining for shutdown', async () => {
      const draining = await securedApp({ dataSource });
      startDraining(draining);
      expect(await readiness(draining)).toEqual([503, 'shutting down']);
      expect(await readiness(app)).toEqual([200, 'ready']);
    });
  });
}

/** A TCP proxy to MariaDB that can be cut and restored, as a network failure would. */
class CuttableProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

const mysqlOnly = process.env.TEST_MYSQL_URL ? describe : describe.skip;

mysqlOnly('readiness when the network to MySQL drops [mysql]', () => {
  it('answers 503 while the connection is cut and 200 once it is restored', async () => {
    const { url, drop } = await createMysqlDatabase();
    const target = new URL(url);
    const proxy = new CuttableProxy(target.hostname, Number(target.port || 3306));
    await proxy.start();
    const viaProxy = new URL(url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const dataSource = await openDataSource({ url: viaProxy.toString(), entities, migrations });
    try {
      const app = await securedApp({ dataSource });
      expect(await readiness(app)).toEqual([200, 'ready']);
      await proxy.cut();
      expect(await readiness(app)).toEqual([503, 'database unreachable']);
      await proxy.start();
      expect(await readiness(app)).toEqual([200, 'ready']);
    } finally {
      await proxy.cut();
      await dataSource.destroy().catch(() => undefined);
      await drop();
    }
  });
});
