// What ingest publishes for live updates: once a group's transaction has committed, one
// entry per new event with the rows its projection created or changed; nothing for a
// rolled-back transaction (nor for the trial commits that look for a refused value).
// And the feed's bound: a subscriber that does not read never holds up delivery, and its
// connection is dropped, with a message, once its queue is full.
import { z } from 'zod';
import { Course } from '../../src/domains/courses/course.entity';
import type { DomainModule } from '../../src/projection/domain-module';
import { buildProjectorRegistry, domainModules } from '../../src/modules';
import { CommittedEvent, EventLog, IncomingItem } from '../../src/ingest/event-log';
import { toEnvelopedEvent } from '../../src/ingest/envelope';
import { parseLossless } from '../../src/canvas/lossless-json';
import { LiveConnection, LiveFeed } from '../../src/graphql/live/feed';
import { CanvasEvent, fixture, freshLocalId, globalIdOf, submissionEvent, withMetadata } from '../support/builders';
import { describeEachDatabase } from '../support/databases';

/** Test-only event names: one whose projection fails outright, one whose value the database refuses. */
const probes: DomainModule = {
  name: 'probes',
  entities: [],
  projectors: [
    {
      eventNames: ['failing_probe'],
      body: z.looseObject({}),
      async project() {
        throw new Error('this projection fails: the transaction rolls back');
      },
    },
    {
      eventNames: ['poison_probe'],
      body: z.looseObject({}),
      async project(event, store) {
        await store.write(Course, null, { id: globalIdOf(event.sequence) }, { firstSeenAt: null as never });
      },
    },
  ],
};

const itemOf = (event: CanvasEvent): IncomingItem => {
  const text = JSON.stringify(event);
  return { kind: 'event', event: toEnvelopedEvent(parseLossless(text), text) };
};
const source = { route: 'events', contentType: 'application/json' };
const probe = (name: string) =>
  withMetadata(fixture('submission_created'), { event_name: name, request_id: freshLocalId() });

describeEachDatabase('live updates published by ingest', (db) => {
  const published: CommittedEvent[][] = [];
  let log: EventLog;
  beforeAll(() => {
    log = new EventLog(db().dataSource, buildProjectorRegistry([...domainModules, probes]), (events) =>
      published.push(events),
    );
  });
  beforeEach(() => (published.length = 0));

  it('names each committed event and the rows it created or changed, after commit', async () => {
    const submissionId = globalIdOf(freshLocalId());
    const outcomes = await log.append([itemOf(submissionEvent({ submissionId }))], source);
    expect(published).toHaveLength(1);
    const [event] = published[0];
    expect(event).toMatchObject({ sequence: outcomes[0].id, name: 'submission_updated' });
    expect(event.changes).toContainEqual({ table: 'submissions', id: submissionId, created: true });
    // The same event again is a duplicate: nothing new committed, nothing published.
    await log.append([itemOf(submissionEvent({ submissionId }))], source);
    expect(published).toHaveLength(1);
  });

  it('publishes nothing for a transaction that rolled back', async () => {
    await expect(log.append([itemOf(submissionEvent()), itemOf(probe('failing_probe'))], source)).rejects.toThrow(
      /this projection fails/,
    );
    expect(published).toHaveLength(0);
  });

  it('publishes only the final commit of a batch with a refused value, not its trials', async () => {
    const good = submissionEvent();
    const outcomes = await log.append([itemOf(good), itemOf(probe('poison_probe'))], source);
    expect(outcomes.map((o) => o.status)).toEqual(['stored', 'invalid']);
    expect(published).toHaveLength(1);
    expect(published[0].map((e) => e.sequence)).toEqual(outcomes.map((o) => o.id));
    // The refused event is in the log (eventLogged sees it) but changed no row.
    expect(published[0][1].changes).toEqual([]);
  });
});

describe('the live feed bound', () => {
  it('never waits for a subscriber; drops a connection whose queue is full, saying why', async () => {
    // No database: this subscription's select reads nothing.
    const feed = new LiveFeed(null as never, 10);
    const drops: string[] = [];
    const connection: LiveConnection = {
      queueLimit: 3,
      pending: 0,
      subscriptions: 0,
      maxSubscriptions: 5,
      drop: (reason) => drops.push(reason),
    };
    const stream = feed.subscribe(connection, { wants: () => true, select: async (event) => [event.sequence] });
    for (let i = 1; i <= 5; i++) feed.deliver({ sequence: String(i), name: 'x', changes: [] });
    expect(connection.pending).toBe(3);
    expect(drops).toHaveLength(2);
    expect(drops[0]).toMatch(/too slow: more than 3 updates were waiting/);
    // A reader takes every queued update at once (their reads are batched).
    expect((await stream.next()).value?.value).toBe('1');
    expect(connection.pending).toBe(0);
    expect((await stream.next()).value?.value).toBe('2');
    await stream.return!();
    expect(connection.pending).toBe(0);
    expect(connection.subscriptions).toBe(0);
    expect(feed.size).toBe(0);
  });
});
