// The HTTP application: /events (ingest), /graphql (read API and IDE), /healthz, /readyz.
// Built from its dependencies so tests can run it against any database.
import express, { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import pinoHttp from 'pino-http';
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { buildProjectorRegistry } from './domains';
import { ideRouter } from './graphql/ide';
import { EventLog } from './ingest/event-log';
import { eventsRouter } from './ingest/events.route';
import { CanvasJwtVerifier } from './ingest/jwt';
import type { Logger } from './logger';

export interface AppDependencies {
  config: Config;
  dataSource: DataSource;
  logger: Logger;
  verifier?: CanvasJwtVerifier | null;
}

export async function createApp(deps: AppDependencies): Promise<express.Express> {
  const { config, dataSource, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      serializers: {
        req: (req) => ({ id: req.id, method: req.method, url: String(req.url).split('?')[0] }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  const eventLog = new EventLog(dataSource, buildProjectorRegistry());
  app.use('/events', eventsRouter({ eventLog, verifier: deps.verifier ?? null, bodyLimit: config.INGEST_BODY_LIMIT, logger }));
  app.use('/graphql', ideRouter());
  app.use('/graphql', await (await import('./graphql')).graphqlRouter({ config, dataSource, logger }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await dataSource.query('SELECT 1');
      const pending = await dataSource.showMigrations();
      if (pending) return res.status(503).json({ status: 'migrations pending' });
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unreachable' });
    }
  });

  app.use((_req, res) => {
    res.status(404).json({ error: { message: 'not found: try POST /events, /graphql, GET /healthz or /readyz' } });
  });
  app.use(httpErrorHandler(logger));
  return app;
}

/** Body-parser and other HTTP-level errors as clear 4xx answers; anything else masked. */
function httpErrorHandler(logger: Logger) {
  return (error: { status?: number; type?: string; limit?: number; message?: string }, req: Request, res: Response, _next: NextFunction) => {
    if (error.type === 'entity.too.large') {
      return res.status(413).json({ error: { message: `the body is larger than the limit of ${error.limit} bytes` } });
    }
    if (error.type === 'request.aborted') return res.status(400).end();
    if (error.status && error.status >= 400 && error.status < 500) {
      return res.status(error.status).json({ error: { message: error.message ?? 'bad request' } });
    }
    logger.error({ err: error, path: req.path }, 'unhandled error');
    res.status(500).json({ error: { message: 'internal error' } });
  };
}
