// Starts the service: configuration, database (migrations applied), HTTP server, and a
// graceful shutdown on SIGTERM/SIGINT that lets in-flight requests finish.
import 'reflect-metadata';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { loadConfig } from './config';
import { CanvasJwtVerifier } from './ingest/jwt';
import { createLogger } from './logger';
import { openModeBindingProblem } from './security/binding';
import { TokenStore } from './security/tokens';

/** After the grace period, how long closing the pool may take before the process exits anyway. */
const HARD_EXIT_AFTER_GRACE_MS = 5_000;

/** A DATABASE_URL fit for a log line: the password replaced. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.split(':')[0] + ':…';
  }
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const tokens = new TokenStore(config);
  const bindingProblem = openModeBindingProblem(config.HOST, tokens.open);
  if (bindingProblem) {
    console.error(`could not start: ${bindingProblem}`);
    process.exit(2);
  }
  const logger = createLogger(config);
  const verifier = config.CANVAS_JWKS
    ? new CanvasJwtVerifier(config.CANVAS_JWKS, config.CANVAS_JWT_ISSUER, config.CANVAS_JWT_MAX_AGE_SECONDS)
    : null;
  await verifier?.load();
  // Loaded only now (TypeORM, the schema, Apollo take seconds), so a bad setting above is
  // reported at once.
  const [
    { databaseKind, openDataSource, replicaDataSource },
    { entities, migrations },
    { createApp, readSourcesOf, serveSubscriptions, startDraining, stopDelivery },
    { startRejectedSweeper },
  ] = await Promise.all([
    import('./db/data-source'),
    import('./modules'),
    import('./server'),
    import('./log/rejected-retention'),
  ]);
  const dataSource = await openDataSource({ url: config.DATABASE_URL, entities, migrations }).catch((error: Error) => {
    throw new Error(
      `DATABASE_URL: cannot open ${withoutPassword(config.DATABASE_URL)} or apply its migrations: ${error.message}`,
    );
  });
  // Replicas get no migrations (they replicate the primary's schema); the app connects them
  // at its first lag check, and a replica down now is retried at the next.
  const replicas = config.DATABASE_REPLICA_URLS.map((url) => replicaDataSource({ url, entities }));
  const app = await createApp({ config, dataSource, replicas, logger, verifier });
  const retention = { maxAgeDays: config.REJECTED_RETENTION_DAYS, maxBytes: config.REJECTED_MAX_MB * 1024 ** 2 };
  const sweeper = startRejectedSweeper(dataSource, retention, {
    swept: (result) => logger.info({ ...result, ...retention }, 'old refusals deleted from rejected_events'),
    failed: (error) => logger.warn({ err: error }, 'sweeping rejected_events failed; trying again later'),
  });
  const server = createServer(
    {
      // Bounds on slow clients: the whole request (headers and body) must arrive within
      // REQUEST_TIMEOUT_MS, the headers within at most 20 s; idle keep-alive sockets close.
      requestTimeout: config.REQUEST_TIMEOUT_MS,
      headersTimeout: Math.min(config.REQUEST_TIMEOUT_MS, 20_000),
      keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
      connectionsCheckingInterval: Math.min(config.REQUEST_TIMEOUT_MS, 5_000),
    },
    app,
  );
  const closeSubscriptions = serveSubscriptions(app, server);
  // Installed before listening: a signal that comes as soon as the port answers must find them.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    sweeper.stop();
    startDraining(app);
    // Receiving stops now; messages in work are committed and deleted before the pool closes.
    const deliveryStopped = stopDelivery(app).catch((error) =>
      logger.warn({ err: error }, 'stopping the SQS consumers failed'),
    );
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    // A request that arrives on a kept-alive connection meanwhile is answered, and that
    // connection then closes instead of waiting for more.
    server.on('request', (_req, res) => res.setHeader('Connection', 'close'));
    const grace = setTimeout(() => {
      logger.warn(
        { timeoutMs: config.SHUTDOWN_TIMEOUT_MS },
        'in-flight requests did not finish in time; closing anyway',
      );
      server.closeAllConnections();
    }, config.SHUTDOWN_TIMEOUT_MS);
    grace.unref();
    const hardExit = setTimeout(() => {
      logger.error('shutdown did not complete; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS + HARD_EXIT_AFTER_GRACE_MS);
    hardExit.unref();
    server.close(async () => {
      clearTimeout(grace);
      await deliveryStopped;
      await readSourcesOf(app).stop();
      await dataSource.destroy().catch((error) => logger.warn({ err: error }, 'closing the database failed'));
      logger.info('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
    // Live subscriptions never finish on their own: closed (1001) so clients reconnect elsewhere.
    closeSubscriptions().catch((error) => logger.warn({ err: error }, 'closing live subscriptions failed'));
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  server.listen(config.PORT, config.HOST);
  await once(server, 'listening').catch((error: Error) => {
    throw new Error(`HOST/PORT: cannot listen on ${config.HOST}:${config.PORT}: ${error.message}`);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info(
    { database: databaseKind(config.DATABASE_URL), url: `http://${config.HOST}:${port}` },
    `listening on http://${config.HOST}:${port} (GraphQL IDE at /graphql)`,
  );
  if (tokens.open) {
    logger.warn(
      { host: config.HOST, open: true },
      `OPEN MODE: no READ_TOKENS, ADMIN_TOKENS or INGEST_TOKENS are set, so every caller is an admin; ` +
        `serving on the loopback address ${config.HOST} only. Set tokens before binding to another address.`,
    );
  } else {
    if (config.READ_TOKENS.length + config.ADMIN_TOKENS.length === 0) {
      logger.warn('no READ_TOKENS or ADMIN_TOKENS are set: /graphql refuses every caller');
    }
    if (config.INGEST_TOKENS.length === 0 && !verifier) {
      logger.warn('no INGEST_TOKENS and no CANVAS_JWKS are set: POST /events refuses every caller');
    }
  }
}

main().catch((error) => {
  // One line, no stack: start failures are configuration or environment, not bugs to debug.
  console.error(`could not start: ${String((error as Error)?.message ?? error).split('\n')[0]}`);
  process.exit(1);
});
