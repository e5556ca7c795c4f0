// GET /metrics in Prometheus' text format, for an admin token or METRICS_TOKEN; and the
// middleware that times ingest requests.
import { Router } from 'express';
import type { RequestHandler } from 'express';
import { requireRole } from '../security/access';
import type { TokenStore } from '../security/tokens';
import type { Metrics } from './metrics';

export function metricsRouter(metrics: Metrics, tokens: TokenStore): Router {
  const router = Router();
  router.get(
    '/',
    requireRole(tokens, {
      anyOf: ['admin', 'metrics'],
      hint: 'send an admin token or METRICS_TOKEN as Authorization: Bearer <token>',
    }),
    async (_req, res) => {
      res.setHeader('Content-Type', metrics.contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.send(await metrics.render());
    },
  );
  return router;
}

/** Observes how long each request under this mount takes to answer, by status. */
export function ingestTimer(metrics: Metrics, route: string): RequestHandler {
  return (_req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      metrics.observeIngestRequest(route, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
