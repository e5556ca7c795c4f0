// The HTTP application: /events (ingest), /lti/launch, /graphql (read API and IDE),
// /metrics, /healthz, /readyz; and the SQS consumers of SQS_QUEUE_URLS, on the same event log.
// Built from its dependencies so tests can run it against any database.
import express, { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import pinoHttp from 'pino-http';
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { ReadSources, withTimeout } from './db/read-sources';
import { buildProjectorRegistry, exportDeclarations, resolvers } from './modules';
import { exportRouter } from './export/export.route';
import { graphqlRouter } from './graphql';
import { IDE_ASSET_PREFIX, ideRouter } from './graphql/ide';
import { LiveChannel, memoryChannel, redisChannel } from './graphql/live/channel';
import { LiveFeed } from './graphql/live/feed';
import { attachSubscriptions } from './graphql/live/server';
import { graphqlSchema } from './graphql/schema';
import type { Server } from 'node:http';
import { eventsRouter } from './ingest/events.route';
import { CanvasJwtVerifier } from './ingest/jwt';
import type { SqsDelivery } from './delivery/sqs-delivery';
import { launchRecords } from './domains/lti/launch-records';
import { launchRouter } from './lti/launch.route';
import type { Logger } from './logger';
import { MeteredEventLog } from './observability/metered-event-log';
import { Metrics } from './observability/metrics';
import { ingestTimer, metricsRouter } from './observability/metrics.route';
import { requireRole } from './security/access';
import { readConsistency } from './security/read-consistency';
import { corsPolicy, graphqlContentType, securityHeaders } from './security/http-hardening';
import { ingestGate } from './security/ingest-access';
import { clientAddressOf, limitRefusals, RefusalRateLimit } from './security/rate-limit';
import { TokenStore } from './security/tokens';
import { StrangerRefusals } from './ingest/refusals';

export interface AppDependencies {
  config: Config;
  /** The primary: every write, migrations, readiness, LTI; reads too when there are no replicas. */
  dataSource: DataSource;
  /** Read replicas (DATABASE_REPLICA_URLS) from replicaDataSource: the app connects them, and closes them at stop. */
  replicas?: readonly DataSource[];
  logger: Logger;
  verifier?: CanvasJwtVerifier | null;
  /** Rows per SELECT of an export (tests use small pages); EXPORT_PAGE_SIZE by default. */
  exportPageSize?: number;
  /** How long an export waits for a client that takes nothing (tests use short ones). */
  exportStallTimeoutMs?: number;
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

  // Who may call what: see src/security. Open mode (no tokens) makes every caller an admin.
  const tokens = new TokenStore(config);
  const metrics = new Metrics(dataSource);
  // Where answers read from: one replica per answer, or the primary. Exports and stats
  // take theirs the same way: readSources.pick(consistencyOf(res)).dataSource.
  const readSources = new ReadSources(dataSource, deps.replicas ?? [], {
    maxLagSeconds: config.REPLICA_MAX_LAG_SECONDS,
    checkIntervalMs: config.REPLICA_CHECK_INTERVAL_MS,
    onFallback: (reason) => metrics.recordReadFallback(reason),
    onChange: (status, error) =>
      (status.inRotation ? logger.info.bind(logger) : logger.warn.bind(logger))(
        { replica: status.name, condition: status.condition, lagSeconds: status.lagSeconds, err: error },
        status.inRotation
          ? 'read replica in rotation'
          : 'read replica out of rotation; reads it would take go elsewhere',
      ),
  });
  if (readSources.hasReplicas) metrics.watchReplicas(() => readSources.statuses());
  await readSources.start();
  app.locals.readSources = readSources;
  app.use(securityHeaders({ assetPrefixes: [`/graphql${IDE_ASSET_PREFIX}`] }));
  app.use('/metrics', metricsRouter(metrics, tokens));

  const registry = buildProjectorRegistry(undefined, {
    ltiDefaultShard: config.LTI_DEFAULT_SHARD,
    clockSkewSeconds: config.CLOCK_SKEW_SECONDS,
  });
  // Live updates: each committed event is published (to this instance, or through Redis to
  // every instance) for the subscriptions served over WebSocket (serveSubscriptions).
  const feed = new LiveFeed(dataSource, config.SUBSCRIPTIONS_PER_INSTANCE);
  const channel: LiveChannel = config.PUBSUB_URL
    ? await redisChannel({
        url: config.PUBSUB_URL,
        prefix: config.PUBSUB_PREFIX,
        logger,
        deliver: (event) => feed.deliver(event),
      }).catch((error: Error) => {
        throw new Error(`PUBSUB_URL: cannot connect to Redis: ${error.message}`);
      })
    : memoryChannel((event) => feed.deliver(event));
  const eventLog = new MeteredEventLog(dataSource, registry, metrics, (events) => channel.publish(events));
  const ingest = ingestGate(tokens, { signedPayloads: Boolean(deps.verifier) });
  // What strangers (no valid token, no verified signature) may cost: refusals per address
  // (429 beyond), and records of their refusals per minute across all (only counted beyond).
  const refusalLimit = new RefusalRateLimit({
    perMinute: config.CLIENT_REFUSALS_PER_MINUTE,
    trustProxy: config.TRUST_PROXY,
  });
  const strangerRefusals = new StrangerRefusals({
    perMinute: config.REFUSAL_RECORDS_PER_MINUTE,
    onRefusal: (route, outcome) => metrics.recordStrangerRefusal(route, outcome),
  });
  app.use(
    '/events',
    ingestTimer(metrics, 'events'),
    limitRefusals(refusalLimit, {
      authenticated: ingest.authenticated,
      tooMany: (res, seconds) =>
        res.status(429).json({
          error: { message: `too many refused requests from this address: retry in ${seconds} seconds` },
        }),
      onLimited: () => metrics.recordStrangerRefusal('events', 'rate_limited'),
    }),
    ingest.checkToken,
    eventsRouter({
      eventLog,
      verifier: deps.verifier ?? null,
      bodyLimit: config.INGEST_BODY_LIMIT,
      logger,
      admitBody: ingest.admitBody,
      strangers: { isStranger: ingest.isStranger, refusals: strangerRefusals, clientAddress: clientAddressOf },
    }),
  );
  // Events delivered through SQS take the same path as POST /events, after it. The AWS
  // SDK is loaded only when a queue is configured.
  let sqs: SqsDelivery | null = null;
  if (config.SQS_QUEUE_URLS.length > 0) {
    const { startSqsDelivery } = await import('./delivery/sqs-delivery');
    sqs = await startSqsDelivery({
      settings: config,
      eventLog,
      verifier: deps.verifier ?? null,
      logger,
      metricsOf: (queue) => metrics.sqsQueue(queue),
    });
  }
  app.locals.sqsDelivery = sqs;
  // LTI launches authenticate by their OAuth signature, not by a token.
  app.use(
    '/lti',
    ingestTimer(metrics, 'lti_launch'),
    launchRouter({
      eventLog,
      dataSource,
      projection: launchRecords(dataSource),
      consumers: config.LTI_CONSUMERS,
      timestampWindowSeconds: config.LTI_TIMESTAMP_WINDOW_SECONDS,
      trustProxy: config.TRUST_PROXY,
      logger,
      strangers: {
        limit: refusalLimit,
        refusals: strangerRefusals,
        onLimited: () => metrics.recordStrangerRefusal('lti', 'rate_limited'),
      },
    }),
  );
  const cors = corsPolicy(config.CORS_ORIGINS);
  if (cors) app.use('/graphql', cors);
  // The IDE page and its assets load without a token; the user pastes one in its header editor.
  app.use('/graphql', ideRouter());
  app.use(
    '/graphql',
    requireRole(tokens, {
      anyOf: ['read', 'ingest'],
      format: 'graphql',
      hint: 'send a read or admin token as Authorization: Bearer <token>',
    }),
    readConsistency('graphql'),
    graphqlContentType(),
    await graphqlRouter({ config, dataSource, readSources, logger, metrics, resolvers }),
  );

  app.use(
    '/export',
    requireRole(tokens, { anyOf: ['read'], hint: 'send a read or admin token as Authorization: Bearer <token>' }),
    readConsistency('json'),
    exportRouter({
      readSources,
      declarations: exportDeclarations,
      maxConcurrent: config.EXPORT_CONCURRENCY,
      logger,
      pageSize: deps.exportPageSize,
      stallTimeoutMs: deps.exportStallTimeoutMs,
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (req, res) => {
    if (req.app.locals.draining === true) return res.status(503).json({ status: 'shutting down' });
    try {
      // A database that stops answering (rather than refusing) must not hang the probe.
      const pending = await withTimeout(READINESS_TIMEOUT_MS, async () => {
        await dataSource.query('SELECT 1');
        return dataSource.showMigrations();
      });
      // Replicas are reported, never a reason for 503: without them reads go to the primary.
      const replicas = readSources.hasReplicas ? { replicas: readSources.statuses() } : {};
      if (pending) return res.status(503).json({ status: 'migrations pending', ...replicas });
      res.json({ status: 'ready', ...replicas });
    } catch {
      res.status(503).json({ status: 'database unreachable' });
    }
  });

  app.use((_req, res) => {
    res.status(404).json({
      error: {
        message:
          'not found: try POST /events, POST /lti/launch, /graphql, GET /export/<entity>.ndjson, /healthz, /readyz or /metrics',
      },
    });
  });
  app.use(httpErrorHandler(logger));
  // The schema graphqlRouter serves (built once per process).
  const schema = await graphqlSchema(resolvers);
  const live: LiveService = {
    attach: (server) =>
      attachSubscriptions(server, {
        schema,
        dataSource,
        feed,
        tokens,
        queryLimits: {
          maxDepth: config.GRAPHQL_MAX_DEPTH,
          maxAliases: config.GRAPHQL_MAX_ALIASES,
          maxCost: config.GRAPHQL_MAX_COST,
        },
        limits: {
          perConnection: config.SUBSCRIPTIONS_PER_CONNECTION,
          perInstance: config.SUBSCRIPTIONS_PER_INSTANCE,
          queueLimit: config.SUBSCRIPTION_QUEUE_LIMIT,
          initTimeoutMs: config.SUBSCRIPTION_INIT_TIMEOUT_MS,
        },
        logger,
      }),
    channel,
    feed,
  };
  app.locals.live = live;
  return app;
}

export interface LiveService {
  attach(server: Server): () => Promise<void>;
  channel: LiveChannel;
  feed: LiveFeed;
}

/**
 * Serves subscriptions (graphql-ws) on `server`'s /graphql, next to the app's HTTP routes;
 * returns what closes them and the pub/sub connections (graceful shutdown, tests).
 */
export function serveSubscriptions(app: express.Express, server: Server): () => Promise<void> {
  const live = app.locals.live as LiveService;
  const closeSockets = live.attach(server);
  return async () => {
    await closeSockets();
    await live.channel.close();
  };
}

const READINESS_TIMEOUT_MS = 3000;

/** The app's read sources, for whoever owns the process (main.ts stops their checks at shutdown). */
export function readSourcesOf(app: express.Express): ReadSources {
  return app.locals.readSources as ReadSources;
}

/** From now on /readyz answers 503 so load balancers stop sending traffic (graceful shutdown). */
export function startDraining(app: express.Express): void {
  app.locals.draining = true;
}

/** Stops the SQS consumers (no new receives; what is in work is committed and deleted). */
export async function stopDelivery(app: express.Express): Promise<void> {
  await (app.locals.sqsDelivery as SqsDelivery | null | undefined)?.stop();
}

/** Body-parser and other HTTP-level errors as clear 4xx answers; anything else masked. */
function httpErrorHandler(logger: Logger) {
  return (
    error: { status?: number; type?: string; limit?: number; message?: string },
    req: Request,
    res: Response,
    _next: NextFunction,
  ) => {
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
