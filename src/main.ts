// Starts the service: configuration, database (migrations applied), HTTP server, and a
// graceful shutdown on SIGTERM/SIGINT that lets in-flight requests finish.
import 'reflect-metadata';
import { once } from 'node:events';
import { loadConfig } from './config';
import { databaseKind, openDataSource } from './db/data-source';
import { entities, migrations } from './db/entities';
import { CanvasJwtVerifier } from './ingest/jwt';
import { createLogger } from './logger';
import { createApp } from './server';

const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const logger = createLogger(config);
  const verifier = config.CANVAS_JWKS ? new CanvasJwtVerifier(config.CANVAS_JWKS, config.CANVAS_JWT_ISSUER) : null;
  await verifier?.load();
  const dataSource = await openDataSource({ url: config.DATABASE_URL, entities, migrations });
  const app = await createApp({ config, dataSource, logger, verifier });
  const server = app.listen(config.PORT, config.HOST);
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info(
    { database: databaseKind(config.DATABASE_URL), url: `http://${config.HOST}:${port}` },
    `listening on http://${config.HOST}:${port} (GraphQL IDE at /graphql)`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    const timer = setTimeout(() => {
      logger.warn('in-flight requests did not finish in time; closing anyway');
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    timer.unref();
    server.close(async () => {
      await dataSource.destroy().catch(() => undefined);
      logger.info('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  console.error(`could not start: ${(error as Error).message}`);
  process.exit(1);
});
