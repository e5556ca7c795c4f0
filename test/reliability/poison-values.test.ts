// Values the body schemas used to accept but MySQL refuses (too long for their column, a
// score of 1e400, a JSON list too big for its TEXT column, a 65,000-character launch
// parameter). Each failed its whole request with 503 on MySQL — Canvas retried it until
// it gave up, and the good events sent with it were lost — and was stored on SQLite. Now
// such an event is kept as INVALID with the field named, the rest of its batch commits,
// and both databases behave alike. A value the database still refuses (the net behind
// the bounds) makes just its own event INVALID too.
import { z } from 'zod';
import type { Express } from 'express';
import { EventRecord } from '../../src/log/event.entity';
import { Submission } from '../../src/domains/submissions/submission.entity';
import { Course } from '../../src/domains/courses/course.entity';
import { User } from '../../src/domains/users/user.entity';
import { LtiFact } from '../../src/domains/lti/lti-fact.entity';
import type { DomainModule } from '../../src/projection/domain-module';
import { buildProjectorRegistry, domainModules } from '../../src/modules';
import { EventLog, IncomingItem } from '../../src/ingest/event-log';
import { toEnvelopedEvent } from '../../src/ingest/envelope';
import { parseLossless } from '../../src/canvas/lossless-json';
import {
  CanvasEvent,
  commentEvent,
  fixture,
  freshLocalId,
  globalIdOf,
  submissionEvent,
  withMetadata,
} from '../support/builders';
import { describeEachDatabase, isCommit } from '../support/databases';
import { countRows, ingestApp, postEvents, row, storedEvent } from '../support/ingest-app';
import { freshLaunchParams, LTI_ENV, postLaunch, signed } from '../support/lti';
import { graphqlClient } from '../support/graphql-fixtures';

const good = () => submissionEvent({ submissionId: globalIdOf(freshLocalId()) });
const withUser = (event: CanvasEvent, metadata: Record<string, unknown>) =>
  withMetadata(event, { user_id: globalIdOf(freshLocalId()), ...metadata });

/** Each poison value, and the field path its reason must name. */
const POISON: [string, () => CanvasEvent, RegExp][] = [
  [
    'metadata.user_login of 300 characters',
    () => withUser(good(), { user_login: 'l'.repeat(300) }),
    /^metadata\.user_login: /,
  ],
  [
    'metadata.user_sis_id of 256 emoji',
    () => withUser(good(), { user_sis_id: '😀'.repeat(256) }),
    /^metadata\.user_sis_id: /,
  ],
  [
    'metadata.context_sis_source_id of 256 characters',
    () =>
      withMetadata(good(), {
        context_type: 'Course',
        context_id: globalIdOf(freshLocalId()),
        context_sis_source_id: 'é'.repeat(256),
      }),
    /^metadata\.context_sis_source_id: /,
  ],
  [
    'body.score 1e400',
    () => submissionEvent({ body: { score: '__SCORE__' } }),
    /^body\.score: must be a finite number/,
  ],
  ['body.attempt beyond a 32-bit INT', () => submissionEvent({ body: { attempt: 2 ** 40 } }), /^body\.attempt: /],
  [
    'body.attachment_ids whose JSON exceeds 64 KB',
    () => commentEvent({ body: { attachment_ids: Array.from({ length: 3000 }, (_, i) => String(1000000 + i)) } }),
    /^body\.attachment_ids: /,
  ],
];

/** JSON text of an event; the score placeholder becomes the literal 1e400 (JSON.stringify cannot write it). */
const textOf = (event: CanvasEvent) => JSON.stringify(event).replace('"__SCORE__"', '1e400');

describeEachDatabase('poison values', (db) => {
  let app: Express;
  beforeAll(async () => {
    app = await ingestApp(db(), { env: LTI_ENV });
  });

  it.each(POISON)(
    '%s: kept INVALID naming the field; the 3 good events of its NDJSON batch are stored',
    async (_, make, path) => {
      const goods = [good(), good(), good()];
      const poison = make();
      const body = [goods[0], goods[1], poison, goods[2]].map(textOf).join('\n');
      const res = await postEvents(app, body, 'application/x-ndjson');
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { status: string }) => i.status)).toEqual([
        'stored',
        'stored',
        'invalid',
        'stored',
      ]);
      expect(res.body.items[2].reason).toMatch(path);
      const kept = await storedEvent(db(), res.body.items[2].id);
      expect(kept.status).toBe('INVALID');
      expect(kept.error).toBe(res.body.items[2].reason);
      for (const event of goods) {
        expect(await row(db(), Submission, { id: event.body.submission_id as string })).not.toBeNull();
      }
    },
  );

  it('a single poison event is answered 200 invalid, never 503', async () => {
    const res = await postEvents(app, textOf(withUser(good(), { user_login: 'x'.repeat(256) })));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'invalid', reason: expect.stringMatching(/^metadata\.user_login: /) });
  });

  it("values at the columns' limits are stored whole: 255 emoji logins, the largest finite score", async () => {
    const userId = globalIdOf(freshLocalId());
    const login = '😀'.repeat(255);
    const event = withMetadata(submissionEvent({ body: { score: Number.MAX_VALUE } }), {
      user_id: userId,
      user_login: login,
    });
    const res = await postEvents(app, event);
    expect(res.body).toMatchObject({ status: 'stored' });
    expect((await row(db(), User, { id: userId }))?.login).toBe(login);
    expect((await row(db(), Submission, { id: event.body.submission_id as string }))?.score).toBe(Number.MAX_VALUE);
  });

  it('score 1e400 never reaches the read model: GraphQL keeps answering submissions', async () => {
    const event = submissionEvent({ body: { score: '__SCORE__' } });
    await postEvents(app, textOf(event));
    const client = await graphqlClient(db());
    const res = await client.query(`{ submissions(first: 100) { nodes { id score } } }`);
    expect(res.errors).toBeUndefined();
  });

  it('an LTI parameter of 65,000 characters refuses the launch with its name, not 503', async () => {
    const before = await countRows(db(), LtiFact);
    for (const name of ['context_title', 'resource_link_description', 'lis_person_name_full']) {
      const res = await postLaunch(
        app,
        signed(freshLaunchParams({ [name]: 'a'.repeat(65_000), launch_presentation_return_url: undefined })),
      );
      expect(res.status).toBe(401);
      expect(res.text).toContain(name);
    }
    expect(await countRows(db(), LtiFact)).toBe(before);
    // Long but bounded texts still fit (four of them in one facts row).
    const long = 'é'.repeat(6000);
    const res = await postLaunch(
      app,
      signed(
        freshLaunchParams({
          lis_person_name_full: long,
          lis_person_name_given: long,
          lis_person_name_family: long,
          roles: long,
          resource_link_title: long,
          resource_link_description: long,
          context_title: long,
        }),
      ),
    );
    expect(res.status).toBe(200);
  });
});

/**
 * The net: a projection writing a value its column refuses (here NULL into a NOT NULL
 * column, refused by MySQL and SQLite alike, in the multi-row statement of the end of
 * the transaction) fails neither its batch nor the requests grouped with it.
 */
const poisonModule: DomainModule = {
  name: 'poison',
  entities: [],
  projectors: [
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
const source = { route: 'events', contentType: 'application/x-ndjson' };

describeEachDatabase('a value the database refuses', (db) => {
  it('makes only its event INVALID, with the database reason; the rest of the batch and group commits', async () => {
    const log = new EventLog(db().dataSource, buildProjectorRegistry([...domainModules, poisonModule]));
    const probe = withMetadata(fixture('submission_created'), {
      event_name: 'poison_probe',
      request_id: freshLocalId(),
    });
    const batch = [good(), good(), probe, good()];
    const other = good();
    const [outcomes, others] = await Promise.all([
      log.append(batch.map(itemOf), source),
      log.append([itemOf(other)], source),
    ]);
    expect(outcomes.map((o) => [o.index, o.status])).toEqual([
      [0, 'stored'],
      [1, 'stored'],
      [2, 'invalid'],
      [3, 'stored'],
    ]);
    expect(outcomes[2].reason).toMatch(
      /the database refused a value of this event \((ER_BAD_NULL_ERROR|SQLITE_CONSTRAINT_NOTNULL)/,
    );
    expect(others.map((o) => o.status)).toEqual(['stored']);
    expect((await storedEvent(db(), outcomes[2].id)).status).toBe('INVALID');
    for (const event of [...batch.filter((e) => e !== probe), other]) {
      expect(await row(db(), Submission, { id: event.body.submission_id as string })).not.toBeNull();
    }
  });

  it('a good batch still takes one transaction', async () => {
    const log = new EventLog(db().dataSource, buildProjectorRegistry([...domainModules, poisonModule]));
    db().statements.length = 0;
    await log.append([good(), good(), good()].map(itemOf), source);
    expect(db().statements.filter(isCommit)).toHaveLength(1);
    expect(await countRows(db(), EventRecord)).toBeGreaterThan(0);
  });
});
