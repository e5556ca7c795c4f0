// POST /events: Canvas live events in, a committed answer out. Only what cannot be an
// event is refused (4xx, and kept in rejected_events); everything with a good envelope is
// stored and answered 2xx, because Canvas disables a subscription that errors too often.
import express, { Request, Response, Router } from 'express';
import type { Logger } from 'pino';
import { BadInputError } from '../errors';
import { EventLog, IncomingItem, ItemOutcome } from './event-log';
import { CanvasJwtVerifier } from './jwt';
import { StrangerRefusals } from './refusals';
import {
  decodeUtf8,
  isAcceptedType,
  mediaType,
  parseEventsRequest,
  ACCEPTED_TYPES,
  UnverifiedBodyError,
} from './request-items';

export interface EventsRouteOptions {
  eventLog: EventLog;
  verifier: CanvasJwtVerifier | null;
  bodyLimit: number;
  logger: Logger;
  /**
   * Sees the raw body before anything is parsed or stored; answers and returns false to
   * refuse it (the access check: a caller without a token must send a signed payload).
   */
  admitBody?: (raw: Buffer, contentType: string | null, res: Response) => boolean;
  /**
   * Callers who sent no token and must prove themselves by signatures: their refusals
   * keep only a bounded record (refusals.ts), and the first failed signature ends the body.
   */
  strangers?: {
    isStranger: (res: Response) => boolean;
    refusals: StrangerRefusals;
    clientAddress: (res: Response) => string | null;
  };
}

export function eventsRouter(options: EventsRouteOptions): Router {
  const router = Router();
  router.post('/', express.raw({ type: () => true, limit: options.bodyLimit }), async (req: Request, res: Response) => {
    const type = mediaType(req.headers['content-type']);
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (options.admitBody && !options.admitBody(raw, req.headers['content-type'] ?? null, res)) return;
    const stranger = options.strangers?.isStranger(res) ?? false;
    const source = {
      route: 'events',
      contentType: req.headers['content-type'] ?? null,
      clientAddress: options.strangers?.clientAddress(res) ?? null,
    };
    try {
      if (!isAcceptedType(type)) {
        throw new BadInputError(
          `unsupported content type ${type ?? '(none)'}; send one of ${ACCEPTED_TYPES.join(', ')}`,
          'content-type',
          415,
        );
      }
      const text = decodeUtf8(raw);
      const parsed = await parseEventsRequest(text, type!, options.verifier, { signatureRequired: stranger });
      const outcomes = await options.eventLog.append(parsed.items, source);
      if (parsed.batch) {
        res.status(200).json({
          errors: outcomes.some((o) => o.status === 'rejected' || o.status === 'invalid'),
          items: outcomes.map(publicOutcome),
        });
      } else {
        const [outcome] = outcomes;
        const item = parsed.items[0] as IncomingItem;
        const status = item.kind === 'rejected' ? item.status : 200;
        res.status(status).json(outcome.status === 'rejected' ? rejectionBody(outcome) : publicOutcome(outcome));
      }
    } catch (error) {
      await answerFailure(error, raw, source, options, res, stranger);
    }
  });
  return router;
}

/** An item's answer; a rejected item's id is its rejected_events row, not an event id. */
function publicOutcome({ index, status, id, name, reason }: ItemOutcome) {
  const where = status === 'rejected' ? { rejectedId: id } : { id };
  return { index, status, ...where, ...(name ? { name } : {}), ...(reason ? { reason } : {}) };
}

function rejectionBody(outcome: ItemOutcome) {
  return { error: { message: outcome.reason, rejectedId: outcome.id } };
}

/** Whole-request refusals are stored too (except bodies never read); storage failures are 503. */
async function answerFailure(
  error: unknown,
  raw: Buffer,
  source: { route: string; contentType: string | null },
  options: EventsRouteOptions,
  res: Response,
  stranger: boolean,
) {
  if (error instanceof BadInputError) {
    const item =
      stranger && options.strangers
        ? options.strangers.refusals.record({
            route: source.route,
            raw,
            reason: error.message,
            status: error.status,
            items: error instanceof UnverifiedBodyError ? error.items : 1,
          })
        : { kind: 'rejected' as const, raw: raw.toString('utf8'), reason: error.message, status: error.status };
    if (!item) {
      // Over this minute's cap of stranger records: counted in /metrics, not stored.
      res.status(error.status).json({ error: { message: error.message } });
      return;
    }
    try {
      const [outcome] = await options.eventLog.append([item], source);
      res.status(error.status).json(rejectionBody(outcome));
    } catch (storeError) {
      storageUnavailable(storeError, options, res);
    }
    return;
  }
  storageUnavailable(error, options, res);
}

/**
 * The request was fine but could not be committed (database down, pool exhausted):
 * 503 with Retry-After so Canvas tries again; nothing was acknowledged.
 */
function storageUnavailable(error: unknown, options: EventsRouteOptions, res: Response) {
  options.logger.error({ err: error }, 'events could not be stored');
  res.setHeader('Retry-After', '30');
  res.status(503).json({ error: { message: 'the event store is unavailable; nothing was stored, retry later' } });
}
