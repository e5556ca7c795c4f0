// POST /lti/launch: an LTI 1.1 basic launch, verified (launch-verification.ts), stored in
// the event log as the projection's launch event and projected like any other event;
// answered with a page (launch-page.ts). Refusals are 401 with a page — or, once the
// signature is verified, a redirect to the consumer's launch_presentation_return_url
// carrying lti_errormsg — and are kept in rejected_events.
import express, { NextFunction, Request, Response, Router } from 'express';
import type { TLSSocket } from 'node:tls';
import type { DataSource } from 'typeorm';
import { toEnvelopedEvent } from '../ingest/envelope';
import type { EventLog } from '../ingest/event-log';
import type { Logger } from '../logger';
import { recordedPage, refusedPage, sendPage, unavailablePage } from './launch-page';
import type { LaunchProjection } from './launch-projection';
import { LaunchRefusal, returnUrlOf, storedParameters, verifyLaunch } from './launch-verification';
import { NonceStore } from './nonce-store';
import { OAuthParameter, parseFormEncoded } from './oauth1';
import type { StrangerRefusals } from '../ingest/refusals';
import {
  clientAddressOf,
  isMarkedAuthenticated,
  limitRefusals,
  markAuthenticated,
  RefusalRateLimit,
} from '../security/rate-limit';

export interface LaunchRouteOptions<Launch> {
  eventLog: EventLog;
  dataSource: DataSource;
  /** The LTI projection's side of a launch (the schema it reads, what it recorded). */
  projection: LaunchProjection<Launch>;
  /** oauth_consumer_key → shared secret (LTI_CONSUMERS). */
  consumers: ReadonlyMap<string, string>;
  /** How far oauth_timestamp may be from now, either way (LTI_TIMESTAMP_WINDOW_SECONDS). */
  timestampWindowSeconds: number;
  /** Take the public scheme and host from X-Forwarded-Proto / X-Forwarded-Host (TRUST_PROXY). */
  trustProxy: boolean;
  logger: Logger;
  now?: () => Date;
  /**
   * Unverified launches are strangers: refusals rate-limited per address, and kept as a
   * bounded record unless they name a known consumer key.
   */
  strangers?: { limit: RefusalRateLimit; refusals: StrangerRefusals; onLimited?: () => void };
}

const BODY_LIMIT = '256kb';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const SOURCE = 'lti';

export function launchRouter<Launch>(options: LaunchRouteOptions<Launch>): Router {
  const router = Router();
  const now = options.now ?? (() => new Date());
  const policy = { ...options, nonces: new NonceStore(options.dataSource) };
  if (options.strangers) router.use('/launch', limitUnverified(options.strangers));
  router.post('/launch', express.raw({ type: () => true, limit: BODY_LIMIT }), async (req: Request, res: Response) => {
    const at = now();
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let parameters: OAuthParameter[] = [];
    try {
      parameters = readParameters(req, raw);
      const launch = await verifyLaunch({ url: publicUrl(req, options.trustProxy), parameters, at }, policy);
      const [outcome] = await options.eventLog.append(
        [
          {
            kind: 'event',
            event: toEnvelopedEvent({
              metadata: { event_name: options.projection.eventName, event_time: at.toISOString(), producer: 'lti' },
              body: storedParameters(parameters),
            }),
          },
        ],
        { route: SOURCE, contentType: req.headers['content-type'] ?? null },
        at,
      );
      if (outcome.status === 'invalid')
        throw new LaunchRefusal(outcome.reason ?? 'the launch could not be understood', true);
      sendPage(res, 200, recordedPage(outcome.id, await options.projection.recorded(launch)));
    } catch (error) {
      await answerRefusal(error, req, res, raw, parameters, options);
    }
  });
  // Body-parser failures (too large, aborted) get a page too, never the JSON error of the API.
  router.use((error: { type?: string; status?: number }, req: Request, res: Response, _next: NextFunction) => {
    const status = error.type === 'entity.too.large' ? 413 : error.status && error.status < 500 ? error.status : 400;
    sendPage(
      res,
      status,
      refusedPage(status === 413 ? `the launch is larger than ${BODY_LIMIT}` : 'the launch could not be read'),
    );
  });
  return router;
}

/** Unverified launches are refusals of strangers: rate-limited per address, a page for 429. */
function limitUnverified(strangers: NonNullable<LaunchRouteOptions<unknown>['strangers']>): express.RequestHandler {
  return limitRefusals(strangers.limit, {
    authenticated: (_req, res) => isMarkedAuthenticated(res),
    tooMany: (res, seconds) =>
      sendPage(res, 429, refusedPage(`too many refused launches from this address: retry in ${seconds} seconds`)),
    onLimited: strangers.onLimited,
  });
}

/** Query and form-body parameters, in order, repeats kept: all of them are signed. */
function readParameters(req: Request, raw: Buffer): OAuthParameter[] {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== FORM_TYPE) {
    throw new LaunchRefusal(`a launch is a form post (${FORM_TYPE}), got ${type || 'no content type'}`, false, 415);
  }
  const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    return [...parseFormEncoded(query), ...parseFormEncoded(text)];
  } catch {
    throw new LaunchRefusal('the launch parameters are not valid UTF-8 form encoding', false, 400);
  }
}

/**
 * The URL the consumer signed. Behind a reverse proxy that is the public one, which only
 * X-Forwarded-Proto / X-Forwarded-Host tell — and only a trusted proxy may say so.
 */
function publicUrl(req: Request, trustProxy: boolean): string {
  const forwarded = (name: string) => {
    const value = req.headers[name];
    const first = (Array.isArray(value) ? value[0] : value)?.split(',')[0].trim();
    return trustProxy && first ? first : undefined;
  };
  const scheme = forwarded('x-forwarded-proto') ?? ((req.socket as TLSSocket).encrypted ? 'https' : 'http');
  const host = forwarded('x-forwarded-host') ?? req.headers.host;
  if (!host || !/^https?$/i.test(scheme))
    throw new LaunchRefusal('the request names no usable host or scheme', false, 400);
  const path = req.originalUrl.split('?')[0];
  try {
    return new URL(`${scheme.toLowerCase()}://${host}${path}`).toString();
  } catch {
    throw new LaunchRefusal('the request names no usable host', false, 400);
  }
}

async function answerRefusal<Launch>(
  error: unknown,
  req: Request,
  res: Response,
  raw: Buffer,
  parameters: readonly OAuthParameter[],
  options: LaunchRouteOptions<Launch>,
) {
  if (!(error instanceof LaunchRefusal)) {
    // Not the launch's fault: the database could not take it. Nothing was acknowledged.
    options.logger.error({ err: error }, 'LTI launch could not be stored');
    res.setHeader('Retry-After', '30');
    sendPage(res, 503, unavailablePage());
    return;
  }
  if (error.verified) markAuthenticated(res);
  await keepRefusal(error, req, res, raw, parameters, options);
  const returnUrl = error.verified ? returnUrlOf(parameters) : null;
  if (returnUrl) {
    returnUrl.searchParams.set('lti_errormsg', `The launch was refused: ${error.message}`);
    res.redirect(303, returnUrl.toString());
    return;
  }
  sendPage(res, error.status, refusedPage(error.message));
}

/**
 * Refusals are kept like refused live events, best effort: whole once the signature is
 * verified; else a bounded record (refusals.ts), with the whole body only when it names a
 * consumer key we know (what a misconfigured consumer needs to debug its signature).
 */
async function keepRefusal<Launch>(
  error: LaunchRefusal,
  req: Request,
  res: Response,
  raw: Buffer,
  parameters: readonly OAuthParameter[],
  options: LaunchRouteOptions<Launch>,
) {
  const reason = `launch refused: ${error.message}`;
  const keyKnown = parameters.some(([name, value]) => name === 'oauth_consumer_key' && options.consumers.has(value));
  const item =
    error.verified || !options.strangers
      ? { kind: 'rejected' as const, raw: raw.toString('utf8'), reason, status: error.status }
      : options.strangers.refusals.record({
          route: SOURCE,
          raw,
          reason,
          status: error.status,
          items: 1,
          keepBytes: keyKnown ? raw.length : undefined,
        });
  if (!item) return;
  try {
    await options.eventLog.append([item], {
      route: SOURCE,
      contentType: req.headers['content-type'] ?? null,
      clientAddress: clientAddressOf(res),
    });
  } catch (storeError) {
    options.logger.warn({ err: storeError }, 'a refused LTI launch could not be kept');
  }
}
