// How committed events reach every instance's live feed. In memory (one instance: the
// default), or through Redis pub/sub (PUBSUB_URL) so that behind a load balancer a change
// ingested by one instance reaches the subscribers of every instance. With Redis an
// instance hears its own events back from Redis, never also directly, so each arrives once.
import Redis from 'ioredis';
import type { Logger } from '../../logger';
import type { LiveEvent } from './feed';

export interface LiveChannel {
  /** Sends committed events to every instance; never waits, never throws. */
  publish(events: readonly LiveEvent[]): void;
  close(): Promise<void>;
}

/** One instance: events go straight to its feed (on a later turn, as Redis would). */
export function memoryChannel(deliver: (event: LiveEvent) => void): LiveChannel {
  return {
    publish(events) {
      setImmediate(() => {
        for (const event of events) deliver(event);
      });
    },
    close: async () => undefined,
  };
}

/** The Redis channel name of a deployment: PUBSUB_PREFIX lets several share one Redis. */
export function channelName(prefix: string): string {
  return `${prefix}events`;
}

/**
 * Redis pub/sub: one PUBLISH per event on `<prefix>events`, and a second connection
 * (a subscribed Redis connection can do nothing else) that delivers what every instance
 * publishes. A message that is not a well-formed event is ignored and logged: anyone who
 * can publish on that Redis could send it. Redis being away costs ingest nothing: the
 * publish is dropped (logged), and live updates resume once it is back.
 */
export async function redisChannel(options: {
  url: string;
  prefix: string;
  logger: Logger;
  deliver: (event: LiveEvent) => void;
}): Promise<LiveChannel> {
  const { logger, deliver } = options;
  const channel = channelName(options.prefix);
  const connect = () =>
    new Redis(options.url, {
      lazyConnect: true,
      // Publishes while Redis is away are dropped, not queued without bound.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
  const publisher = connect();
  const subscriber = connect();
  for (const client of [publisher, subscriber]) {
    client.on('error', (error: Error) => logger.warn({ err: error }, 'live updates: Redis connection error'));
  }
  await Promise.all([publisher.connect(), subscriber.connect()]);
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    const event = parseLiveEvent(message);
    if (event) deliver(event);
    else logger.warn({ channel }, 'live updates: ignored a malformed message on the Redis channel');
  });
  await subscriber.subscribe(channel);
  return {
    publish(events) {
      for (const event of events) {
        publisher
          .publish(channel, JSON.stringify(event))
          .catch((error: Error) => logger.warn({ err: error }, 'live updates: publishing to Redis failed'));
      }
    },
    async close() {
      await Promise.all([subscriber.quit().catch(() => undefined), publisher.quit().catch(() => undefined)]);
    },
  };
}

const DECIMAL = /^[0-9]{1,20}$/;

/** A LiveEvent from its JSON, or null when it is not one. */
export function parseLiveEvent(message: string): LiveEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return null;
  }
  const v = value as Partial<LiveEvent> | null;
  if (!v || typeof v.sequence !== 'string' || !DECIMAL.test(v.sequence) || typeof v.name !== 'string') return null;
  if (!Array.isArray(v.changes)) return null;
  const wellFormed = v.changes.every(
    (c) =>
      c &&
      typeof c.table === 'string' &&
      typeof c.id === 'string' &&
      DECIMAL.test(c.id) &&
      typeof c.created === 'boolean',
  );
  return wellFormed ? { sequence: v.sequence, name: v.name, changes: v.changes } : null;
}
