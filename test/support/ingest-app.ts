// The real HTTP app on a test database, and small readers of what ingest stored, so
// integration tests post events the way Canvas does and check rows, not internals.
import pino from 'pino';
import request from 'supertest';
import type { Express } from 'express';
import type { ObjectLiteral, EntityTarget } from 'typeorm';
import { loadConfig } from '../../src/config';
import { createApp } from '../../src/server';
import { CanvasJwtVerifier } from '../../src/ingest/jwt';
import { EventRecord } from '../../src/log/event.entity';
import { RejectedEvent } from '../../src/log/rejected-event.entity';
import { buildProjectorRegistry } from '../../src/modules';
import { toEnvelopedEvent } from '../../src/ingest/envelope';
import { EventLog, IncomingItem, ItemOutcome } from '../../src/ingest/event-log';
import { parseLossless } from '../../src/canvas/lossless-json';
import type { TestDatabase } from './databases';

export interface IngestAppOptions {
  env?: Record<string, string>;
  verifier?: CanvasJwtVerifier | null;
}

export async function ingestApp(db: TestDatabase, options: IngestAppOptions = {}): Promise<Express> {
  return createApp({
    config: loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'sqlite::memory:', ...options.env }),
    dataSource: db.dataSource,
    logger: pino({ level: 'silent' }),
    verifier: options.verifier ?? null,
  });
}

/** POST /events with a JSON (object/array), NDJSON or raw text body. */
export function postEvents(app: Express, body: unknown, contentType = 'application/json') {
  const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  // Bytes go out as they are (superagent would JSON-encode a Buffer sent as JSON).
  return request(app)
    .post('/events')
    .set('Content-Type', contentType)
    .serialize((data: unknown) => data as string)
    .send(payload);
}

/** The event-log row with this sequence number. */
export function storedEvent(db: TestDatabase, id: string): Promise<EventRecord> {
  return db.dataSource.getRepository(EventRecord).findOneByOrFail({ id });
}

export function rejectedEvent(db: TestDatabase, id: string): Promise<RejectedEvent> {
  return db.dataSource.getRepository(RejectedEvent).findOneByOrFail({ id });
}

export function countRows<E extends ObjectLiteral>(db: TestDatabase, entity: EntityTarget<E>): Promise<number> {
  return db.dataSource.getRepository(entity).count();
}

export function row<E extends ObjectLiteral>(
  db: TestDatabase,
  entity: EntityTarget<E>,
  where: Partial<E>,
): Promise<E | null> {
  return db.dataSource.getRepository(entity).findOneBy(where as never);
}

export async function rowOrFail<E extends ObjectLiteral>(
  db: TestDatabase,
  entity: EntityTarget<E>,
  where: Partial<E>,
): Promise<E> {
  return db.dataSource.getRepository(entity).findOneByOrFail(where as never);
}

/**
 * Appends events straight to the event log (no HTTP), each as its own delivery unless
 * `batch` is set: what a request would do, minus the parsing of the request itself.
 */
export async function appendEvents(
  db: TestDatabase,
  events: unknown[],
  options: { batch?: boolean } = {},
): Promise<ItemOutcome[]> {
  const log = new EventLog(db.dataSource, buildProjectorRegistry());
  const source = { route: 'events', contentType: 'application/json' };
  const items = events.map((event): IncomingItem => {
    const text = typeof event === 'string' ? event : JSON.stringify(event);
    return { kind: 'event', event: toEnvelopedEvent(parseLossless(text), text) };
  });
  if (options.batch) return log.append(items, source);
  const outcomes: ItemOutcome[] = [];
  for (const item of items) outcomes.push(...(await log.append([item], source)));
  return outcomes;
}
