// POST /lti/launch: an LTI 1.1 basic launch, verified (OAuth 1.0a HMAC-SHA1 over every
// query and body parameter, a fresh timestamp, an unused nonce), stored in the event log
// as an lti_launch event and projected like any other event. Refusals are 401 with a
// small page — or, once the signature is verified, a redirect to the consumer's
// launch_presentation_return_url carrying lti_errormsg — and are kept in rejected_events.
import express, { NextFunction, Request, Response, Router } from 'express';
import type { TLSSocket } from 'node:tls';
import type { DataSource } from 'typeorm';
import { Course } from '../domains/courses/course.entity';
import { ResourceLink } from '../domains/resource-links/resource-link.entity';
import { EventLog } from '../ingest/event-log';
import { toEnvelopedEvent } from '../ingest/envelope';
import { describeIssues } from '../canvas/fields';
import type { Logger } from '../logger';
import { inTransaction } from '../db/transaction';
import { renderPage } from './launch-page';
import { LtiFact } from '../domains/lti/lti-fact.entity';
import { consumerScope, launchBody, LaunchBody, LTI_LAUNCH_EVENT } from '../domains/lti/lti-launch.projector';
import { LtiNonce } from './lti-nonce.entity';
import type { StrangerRefusals } from '../ingest/refusals';
import {
  clientAddressOf,
  isMarkedAuthenticated,
  limitRefusals,
  markAuthenticated,
  RefusalRateLimit,
} from '../security/rate-limit';
import { hmacSha1Signature, OAuthParameter, parseFormEncoded, signatureBaseString, signaturesMatch } from './oauth1';

export interface LaunchRouteOptions {
  eventLog: EventLog;
  dataSource: DataSource;
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
const REQUIRED_OAUTH = [
  'oauth_consumer_key',
  'oauth_signature_method',
  'oauth_timestamp',
  'oauth_nonce',
  'oauth_signature',
];

/** Why a launch is refused; `verified` once the signature matched (then we may redirect). */
class LaunchRefusal extends Error {
  constructor(
    message: string,
    readonly verified: boolean,
    readonly status = 401,
  ) {
    super(message);
  }
}

export function launchRouter(options: LaunchRouteOptions): Router {
  const router = Router();
  const now = options.now ?? (() => new Date());
  if (options.strangers) router.use('/launch', limitUnverified(options.strangers));
  router.post('/launch', express.raw({ type: () => true, limit: BODY_LIMIT }), async (req: Request, res: Response) => {
    const receivedAt = now();
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let parameters: OAuthParameter[] = [];
    try {
      parameters = readParameters(req, raw);
      const body = await verify(req, parameters, options, receivedAt);
      const [outcome] = await options.eventLog.append(
        [
          {
            kind: 'event',
            event: toEnvelopedEvent({
              metadata: { event_name: LTI_LAUNCH_EVENT, event_time: receivedAt.toISOString(), producer: 'lti' },
              body: storedBody(parameters),
            }),
          },
        ],
        { route: SOURCE, contentType: req.headers['content-type'] ?? null },
        receivedAt,
      );
      if (outcome.status === 'invalid')
        throw new LaunchRefusal(outcome.reason ?? 'the launch could not be understood', true);
      await answerRecorded(res, options.dataSource, body, outcome.id);
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
function limitUnverified(strangers: NonNullable<LaunchRouteOptions['strangers']>): express.RequestHandler {
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
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    return [...parseFormEncoded(query), ...parseFormEncoded(text)];
  } catch {
    throw new LaunchRefusal('the launch parameters are not valid UTF-8 form encoding', false, 400);
  }
}

function single(parameters: readonly OAuthParameter[], name: string, verified: boolean): string | undefined {
  const values = parameters.filter(([n]) => n === name).map(([, v]) => v);
  if (values.length > 1) throw new LaunchRefusal(`${name} is sent ${values.length} times`, verified);
  return values[0];
}

/** The checks, cheapest and unauthenticated first; returns the validated launch. */
async function verify(
  req: Request,
  parameters: OAuthParameter[],
  options: LaunchRouteOptions,
  at: Date,
): Promise<LaunchBody> {
  for (const name of REQUIRED_OAUTH) {
    if (!single(parameters, name, false)) throw new LaunchRefusal(`${name} is missing`, false);
  }
  const key = single(parameters, 'oauth_consumer_key', false)!;
  const method = single(parameters, 'oauth_signature_method', false)!;
  if (method !== 'HMAC-SHA1')
    throw new LaunchRefusal(`oauth_signature_method must be HMAC-SHA1, got ${method.slice(0, 40)}`, false);
  const secret = options.consumers.get(key);
  if (secret === undefined) throw new LaunchRefusal(`unknown oauth_consumer_key "${key.slice(0, 80)}"`, false);
  const url = publicUrl(req, options.trustProxy);
  const expected = hmacSha1Signature(signatureBaseString('POST', url, parameters), secret);
  if (!signaturesMatch(expected, single(parameters, 'oauth_signature', false)!)) {
    throw new LaunchRefusal(`the signature does not match (signed URL expected: ${url})`, false);
  }

  // Verified: from here on the consumer may be told what was wrong.
  const version = single(parameters, 'oauth_version', true);
  if (version !== undefined && version !== '1.0')
    throw new LaunchRefusal(`oauth_version must be 1.0, got ${version.slice(0, 20)}`, true);
  const timestamp = single(parameters, 'oauth_timestamp', true)!;
  if (!/^\d{1,12}$/.test(timestamp)) throw new LaunchRefusal('oauth_timestamp must be seconds since 1970', true);
  const skew = Number(timestamp) - Math.floor(at.getTime() / 1000);
  if (Math.abs(skew) > options.timestampWindowSeconds) {
    throw new LaunchRefusal(
      `oauth_timestamp is ${Math.abs(skew)} seconds ${skew < 0 ? 'old' : 'in the future'} (at most ${options.timestampWindowSeconds} accepted): ` +
        'check the clocks, or launch again',
      true,
    );
  }
  const parsed = launchBody.safeParse(storedBody(parameters));
  if (!parsed.success) throw new LaunchRefusal(describeIssues(parsed.error, ''), true);
  const nonce = single(parameters, 'oauth_nonce', true)!;
  if (nonce.length > 128) throw new LaunchRefusal('oauth_nonce is longer than 128 characters', true);
  const expiresAt = new Date((Number(timestamp) + options.timestampWindowSeconds) * 1000);
  if (!(await consumeNonce(options.dataSource, key, nonce, at, expiresAt))) {
    throw new LaunchRefusal(
      'this launch was already received (its oauth_nonce was used): launch again from Canvas',
      true,
    );
  }
  return parsed.data;
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

/**
 * Records the nonce, or says it was used. Expired nonces are pruned first: their
 * timestamps are outside the window, so a launch reusing one is refused as stale anyway.
 * Two instances inserting the same nonce at once: one gets a duplicate key, and its
 * retried transaction then finds the nonce used.
 */
async function consumeNonce(
  dataSource: DataSource,
  consumerKey: string,
  nonce: string,
  at: Date,
  expiresAt: Date,
): Promise<boolean> {
  return inTransaction(dataSource, async (tx) => {
    await tx.createQueryBuilder().delete().from(LtiNonce).where('expires_at < :at', { at }).execute();
    if (await tx.existsBy(LtiNonce, { consumerKey, nonce })) return false;
    await tx.insert(LtiNonce, { consumerKey, nonce, expiresAt });
    return true;
  });
}

/** Every parameter but the signature; a repeated one as the list of its values. */
function storedBody(parameters: readonly OAuthParameter[]): Record<string, string | string[]> {
  const body: Record<string, string | string[]> = {};
  for (const [name, value] of parameters) {
    if (name === 'oauth_signature') continue;
    const known = body[name];
    body[name] = known === undefined ? value : Array.isArray(known) ? [...known, value] : [known, value];
  }
  return body;
}

/** The page naming what this launch recorded: the course and link as they now stand. */
async function answerRecorded(res: Response, dataSource: DataSource, body: LaunchBody, eventId: string) {
  const consumerGuid = consumerScope(body);
  const facts = (kind: 'context' | 'link', ltiId: string | undefined) =>
    ltiId ? dataSource.getRepository(LtiFact).findOneBy({ kind, ltiId, consumerGuid }) : Promise.resolve(null);
  const [context, link] = await Promise.all([facts('context', body.context_id), facts('link', body.resource_link_id)]);
  const course = context?.appliedId
    ? await dataSource.getRepository(Course).findOneBy({ id: context.appliedId })
    : null;
  const resourceLink = link?.appliedId
    ? await dataSource.getRepository(ResourceLink).findOneBy({ id: link.appliedId })
    : null;
  const courseName = course?.title ?? body.context_title ?? null;
  const waiting = 'not known yet — joined once a live event names the root account of this consumer';
  sendPage(
    res,
    200,
    renderPage({
      tone: 'ok',
      heading: 'Launch recorded',
      lead: `This launch was verified and stored as event ${eventId}.`,
      facts: [
        ['Course', courseName ? `${courseName}${body.context_label ? ` (${body.context_label})` : ''}` : null],
        ['Canvas course id', course ? course.id : body.context_id ? waiting : null],
        ['Resource link', resourceLink?.title ?? body.resource_link_title ?? null],
        ['Resource link id', resourceLink ? resourceLink.id : (body.resource_link_id ?? null)],
      ],
    }),
  );
}

async function answerRefusal(
  error: unknown,
  req: Request,
  res: Response,
  raw: Buffer,
  parameters: readonly OAuthParameter[],
  options: LaunchRouteOptions,
) {
  if (!(error instanceof LaunchRefusal)) {
    // Not the launch's fault: the database could not take it. Nothing was acknowledged.
    options.logger.error({ err: error }, 'LTI launch could not be stored');
    res.setHeader('Retry-After', '30');
    sendPage(
      res,
      503,
      renderPage({
        tone: 'bad',
        heading: 'Launch not recorded',
        lead: 'The service cannot store launches right now. Please launch again in a minute.',
      }),
    );
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
async function keepRefusal(
  error: LaunchRefusal,
  req: Request,
  res: Response,
  raw: Buffer,
  parameters: readonly OAuthParameter[],
  options: LaunchRouteOptions,
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

/** launch_presentation_return_url, when it is one http(s) URL: never redirect anywhere else. */
function returnUrlOf(parameters: readonly OAuthParameter[]): URL | null {
  const values = parameters.filter(([n]) => n === 'launch_presentation_return_url').map(([, v]) => v);
  if (values.length !== 1) return null;
  try {
    const url = new URL(values[0]);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

function refusedPage(reason: string): string {
  return renderPage({
    tone: 'bad',
    heading: 'Launch refused',
    lead: 'This LTI launch could not be accepted. Launch the tool again from Canvas; if this persists, show this page to the tool administrator.',
    facts: [['Reason', reason]],
  });
}

/**
 * Pages are shown inside Canvas, in an iframe: unlike the rest of the API they may be
 * framed, and load nothing but their inline style.
 */
function sendPage(res: Response, status: number, html: string) {
  res.removeHeader('X-Frame-Options');
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors *",
  );
  res.setHeader('Cache-Control', 'no-store');
  res.status(status).type('html').send(html);
}
