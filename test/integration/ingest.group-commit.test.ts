// Concurrent appends are committed together (src/ingest/group-commit.ts). What that must
// not change: each caller gets the outcomes of its own items, a repeat in another
// caller's request is a duplicate of the same stored event, and one request that cannot
// be stored fails alone, leaving nothing of itself and everything of the others.
import { z } from 'zod';
import { buildProjectorRegistry, domainModules } from '../../src/modules';
import type { DomainModule } from '../../src/projection/domain-module';
import { toEnvelopedEvent } from '../../src/ingest/envelope';
import { EventRecord } from '../../src/log/event.entity';
import { EventLog, IncomingItem } from '../../src/ingest/event-log';
import { parseLossless } from '../../src/canvas/lossless-json';
import { CanvasEvent, fixture, freshLocalId, globalIdOf, submissionEvent, withMetadata } from '../support/builders';
import { describeEachDatabase, isCommit } from '../support/databases';
import { countRows } from '../support/ingest-app';
import { clearEverything } from '../support/projections';
import { Submission } from '../../src/domains/submissions/submission.entity';

const source = { route: 'events', contentType: 'application/json' };
const itemOf = (event: CanvasEvent): IncomingItem => {
  const text = JSON.stringify(event);
  return { kind: 'event', event: toEnvelopedEvent(parseLossless(text), text) };
};

/** A projector with a bug: it throws on every event of its type, after the event row was inserted. */
const faultyModule: DomainModule = {
  name: 'faulty',
  entities: [],
  projectors: [
    {
      eventNames: ['faulty_event'],
      body: z.object({}).passthrough(),
      project: () => Promise.reject(new Error('projector bug')),
    },
  ],
};

describeEachDatabase('group commit of concurrent appends', (db) => {
  beforeEach(() => clearEverything(db().dataSource));

  it('answers each caller its own outcomes; a repeat in another request is a duplicate of the one stored event', async () => {
    const log = new EventLog(db().dataSource, buildProjectorRegistry());
    const a = submissionEvent({ submissionId: globalIdOf(freshLocalId()) });
    const b = submissionEvent({ submissionId: globalIdOf(freshLocalId()) });
    const c = submissionEvent({ submissionId: globalIdOf(freshLocalId()) });
    // Appends made in one turn of the event loop are committed as one group.
    db().statements.length = 0;
    const [first, second, third, fourth] = await Promise.all([
      log.append([itemOf(a)], source),
      log.append([itemOf(b), itemOf(c)], source),
      log.append([itemOf(c)], source),
      log.append([{ kind: 'rejected', raw: '{', reason: 'not JSON', status: 400 }], source),
    ]);
    expect(first.map((o) => [o.index, o.status])).toEqual([[0, 'stored']]);
    expect(second.map((o) => [o.index, o.status])[0]).toEqual([0, 'stored']);
    // c was sent twice: stored once, and the other delivery is a duplicate of that event.
    const deliveriesOfC = [second[1], third[0]];
    expect(deliveriesOfC.map((o) => o.status).sort()).toEqual(['duplicate', 'stored']);
    expect(deliveriesOfC.map((o) => o.index)).toEqual([1, 0]);
    expect(third[0].id).toBe(second[1].id);
    expect(db().statements.filter(isCommit)).toHaveLength(1);
    expect(fourth).toMatchObject([{ index: 0, status: 'rejected', reason: 'not JSON' }]);
    expect(await countRows(db(), EventRecord)).toBe(3);
    expect(await countRows(db(), Submission)).toBe(3);
  });

  it('fails only the request that cannot be stored; the others grouped with it are committed', async () => {
    const log = new EventLog(db().dataSource, buildProjectorRegistry([...domainModules, faultyModule]));
    const events = Array.from({ length: 4 }, () => submissionEvent({ submissionId: globalIdOf(freshLocalId()) }));
    const faulty = withMetadata(fixture('submission_created'), { event_name: 'faulty_event' });
    db().statements.length = 0;
    const answers = await Promise.allSettled([
      log.append([itemOf(events[0])], source),
      log.append([itemOf(events[1])], source),
      log.append([itemOf(events[2]), itemOf(faulty)], source),
      log.append([itemOf(events[3])], source),
    ]);
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((answers[2] as PromiseRejectedResult).reason).toEqual(new Error('projector bug'));
    // Nothing of the failed request (not even its good event), everything of the others.
    expect(await countRows(db(), EventRecord)).toBe(3);
    expect(await countRows(db(), Submission)).toBe(3);
    // Found by halving: [0 1 2 3] fails, [0 1] commits, [2 3] fails, [2] fails, [3] commits.
    expect(db().statements.filter(isCommit)).toHaveLength(2);
  });
});
