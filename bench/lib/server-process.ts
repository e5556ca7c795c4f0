// The service as the benchmarks drive it, in its own process (as in production, the
// load generator does not share its event loop): the real app from createApp in open
// mode on loopback, plus bench-only routes — the naive GraphQL schema at /naive/graphql,
// the hand-written SQL dashboard at /__bench/hand, the hand-written submission GROUP BY
// of the stats bench at /__bench/hand-stats, and /__bench/statements, the number
// of SQL statements the app's DataSource has run (counted by openDataSource's onQuery).
// Prints {"port": N} on stdout when listening; stops at SIGTERM/SIGINT or when stdin ends.
import 'reflect-metadata';
import express from 'express';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { replicaDataSource } from '../../src/db/data-source';
import { entities } from '../../src/modules';
import { createApp, readSourcesOf, serveSubscriptions } from '../../src/server';
import { benchDataSource } from './db';
import { handDashboard, mysqlRawQuery, sqliteRawQuery } from './dashboard';
import { naiveRouter } from './naive';
import { handStats } from '../stats';

async function main(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error('BENCH_DATABASE_URL is not set');
  let statements = 0;
  const dataSource = await benchDataSource(url, () => void statements++, false);
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DATABASE_URL: url,
    // The dashboard at N = 1,000 asks for more than the default cost limit allows.
    GRAPHQL_MAX_COST: '1000000',
    // bench/replicas.ts: the read replicas the app reads from (comma-separated).
    DATABASE_REPLICA_URLS: process.env.BENCH_REPLICA_URLS,
    // bench/sqs.ts: the queue to consume, and how.
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('SQS_'))),
  });
  const replicas = config.DATABASE_REPLICA_URLS.map((replica) => replicaDataSource({ url: replica, entities }));
  const app = await createApp({ config, dataSource, replicas, logger: pino({ level: 'silent' }), verifier: null });
  const store = url.startsWith('sqlite:') ? 'sqlite' : 'mysql';
  const raw = url.startsWith('sqlite:') ? sqliteRawQuery(url.slice('sqlite:'.length)) : mysqlRawQuery(url);
  const outer = express();
  outer.get('/__bench/statements', (_req, res) => void res.json({ count: statements }));
  outer.post('/__bench/hand', express.json(), async (req, res, next) => {
    try {
      const counted = (sql: string, params: unknown[]) => (statements++, raw.query(sql, params));
      res.json(await handDashboard(counted, req.body.variables));
    } catch (error) {
      next(error);
    }
  });
  outer.post('/__bench/hand-stats', express.json(), async (req, res, next) => {
    try {
      res.json(await handStats((sql, params) => (statements++, raw.query(sql, params)), store, req.body));
    } catch (error) {
      next(error);
    }
  });
  outer.use('/naive/graphql', await naiveRouter(dataSource));
  outer.use(app);
  const server = outer.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  });
  server.keepAliveTimeout = 60_000;
  // Live updates (graphql-ws on /graphql), for bench/subscriptions.ts.
  serveSubscriptions(app, server);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections();
    server.close(
      () =>
        void Promise.all([readSourcesOf(app).stop(), dataSource.destroy(), raw.close()]).finally(() => process.exit(0)),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The bench holds our stdin open: end of input means it is gone, and so are we.
  process.stdin.on('end', stop).on('error', stop).resume();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
