// The projection store's rules (src/projection/store.ts), checked on everything the tests
// know how to send: every live-event fixture, every example of Canvas's own docs in both
// formats (Canvas and Caliper), LTI launches as test/support/lti.ts builds them, and a
// generated corpus. Projected in strict mode — which fails on a query of a keyed table, a
// write of a row not read through the store, a write to a table another domain owns, or a
// flush after which the database differs from the store — they must leave the same
// projections as normal mode, live and replayed. Then each rule is shown to fail when
// broken.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { buildProjectorRegistry, domainModules, projectionEntities } from '../../src/modules';
import type { DomainModule } from '../../src/projection/domain-module';
import type { Projector } from '../../src/projection/projector';
import { ProjectionStore } from '../../src/projection/store';
import { toEnvelopedEvent } from '../../src/ingest/envelope';
import { EventLog, IncomingItem } from '../../src/ingest/event-log';
import { toItems } from '../../src/ingest/request-items';
import { Replayer } from '../../src/ingest/replay';
import { parseLossless } from '../../src/canvas/lossless-json';
import { Course } from '../../src/domains/courses/course.entity';
import { Submission } from '../../src/domains/submissions/submission.entity';
import { User } from '../../src/domains/users/user.entity';
import { CanvasEvent, FIXTURES_DIR, fixture, globalIdOf, withMetadata } from '../support/builders';
import { sampleCorpus } from '../support/corpus';
import { createTestDatabase, databaseKinds, TestDatabase } from '../support/databases';
import { freshLaunchParams, launchEvent, launchParams } from '../support/lti';
import { clearEverything, snapshotProjections } from '../support/projections';

const DOCS_DIR = join(__dirname, '../fixtures/canvas-docs/canvas');
const CALIPER_DOCS_DIR = join(__dirname, '../fixtures/canvas-docs/caliper');
const FIXTURE_GUID = 'VicYj3cu5BIFpoZhDVU4DZumnlBrWi1grgJEzADs.oxana.instructure.com';
const T0 = '2024-03-01T11:59:00.000Z';
const BATCH = 20;
const source = { route: 'test', contentType: 'application/json' };

const filesIn = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));

/** Launches that join the fixtures' course, link and user, wait for an unknown account, or name a group. */
function launches(): { early: unknown[]; late: unknown[] } {
  const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();
  return {
    early: [
      launchEvent(launchParams(), at(0)),
      launchEvent(freshLaunchParams(), at(1)),
      launchEvent(freshLaunchParams({ tool_consumer_instance_guid: FIXTURE_GUID }), at(2)),
      launchEvent(
        launchParams({ context_type: 'Group', context_id: 'group-ctx', custom_canvas_course_id: '566' }),
        at(3),
      ),
    ],
    late: [
      launchEvent(launchParams({ resource_link_title: 'Week 3 reading quiz (renamed)' }), at(600)),
      launchEvent(launchParams({ custom_canvas_course_id: '$Canvas.course.id', context_id: 'no-course' }), at(601)),
      launchEvent(freshLaunchParams({ tool_consumer_instance_guid: FIXTURE_GUID, user_id: undefined }), at(602)),
    ],
  };
}

/** The whole corpus as wire texts, in delivery order (built once: both modes get the same events). */
function corpusTexts(): string[] {
  const { early, late } = launches();
  return [
    ...early.map((e) => JSON.stringify(e)),
    ...filesIn(DOCS_DIR),
    ...filesIn(CALIPER_DOCS_DIR),
    ...filesIn(FIXTURES_DIR),
    ...sampleCorpus(200, 7).map((e) => JSON.stringify(e)),
    ...late.map((e) => JSON.stringify(e)),
  ];
}

function itemOf(text: string): IncomingItem {
  try {
    return { kind: 'event', event: toEnvelopedEvent(parseLossless(text), text) };
  } catch (error) {
    return { kind: 'rejected', raw: text, reason: String(error), status: 400 };
  }
}

async function deliver(db: TestDatabase, texts: string[], strict: boolean): Promise<void> {
  const log = new EventLog(db.dataSource, buildProjectorRegistry(undefined, { strict }));
  for (let at = 0; at < texts.length; at += BATCH) {
    // As POST /events reads them: a Caliper envelope is one item per event.
    const items = await Promise.all(texts.slice(at, at + BATCH).map((text) => toItems(text, null, null)));
    await log.append(items.flat(), source);
  }
}

const texts = corpusTexts();

for (const kind of databaseKinds) {
  describe(`the projection store in strict mode [${kind}]`, () => {
    let normal: TestDatabase;
    let strict: TestDatabase;
    beforeAll(async () => {
      [normal, strict] = await Promise.all([createTestDatabase(kind), createTestDatabase(kind)]);
    });
    afterAll(async () => {
      await Promise.all([normal?.drop(), strict?.drop()]);
    });

    it('projects the whole fixture corpus without a rule break, to the same projections as normal mode', async () => {
      expect(texts.length).toBeGreaterThan(300);
      await deliver(normal, texts, false);
      await deliver(strict, texts, true);
      const expected = await snapshotProjections(normal.dataSource);
      // The corpus reaches every projection table.
      expect(Object.keys(expected).filter((table) => expected[table].length === 0)).toEqual([]);
      expect(await snapshotProjections(strict.dataSource)).toEqual(expected);
    });

    it('replays the log in strict mode to the same projections', async () => {
      const expected = await snapshotProjections(normal.dataSource);
      await new Replayer(
        strict.dataSource,
        buildProjectorRegistry(undefined, { strict: true }),
        projectionEntities,
      ).run({
        chunkSize: 50,
      });
      expect(await snapshotProjections(strict.dataSource)).toEqual(expected);
    });

    it('writes through at once outside ingest and replay (no unit of work), keyed tables too', async () => {
      const id = globalIdOf('88010');
      const seenAt = new Date('2024-03-01T12:00:00.000Z');
      await strict.dataSource.transaction(async (tx) => {
        const store = ProjectionStore.writeThrough(tx, buildProjectorRegistry().rules).actingFor('courses');
        const current = await store.read(Course, { id });
        await store.write(Course, current, { id }, { firstSeenAt: seenAt, lastActivityAt: seenAt });
        expect(await tx.findOneBy(Course, { id })).toMatchObject({ id, firstSeenAt: seenAt });
        await expect(store.find(Course, { where: { id } })).rejects.toThrow(/courses is keyed/);
      });
    });

    describe('fails on each rule break', () => {
      const submissionId = globalIdOf('88001');
      /** A module that owns nothing and whose projector for `faulty_event` does `project`. */
      const withFaulty = (domain: string, project: Projector['project']): DomainModule[] => [
        ...domainModules,
        {
          name: domain,
          entities: [],
          projectors: [{ eventNames: ['faulty_event'], body: z.looseObject({}), project }],
        },
      ];
      const faultyEvent = (): CanvasEvent =>
        withMetadata(fixture('submission_created'), {
          event_name: 'faulty_event',
          event_time: new Date().toISOString(),
        });
      const append = (modules: DomainModule[], strictMode: boolean) =>
        new EventLog(strict.dataSource, buildProjectorRegistry(modules, { strict: strictMode })).append(
          [itemOf(JSON.stringify(faultyEvent()))],
          source,
        );

      beforeAll(() => clearEverything(strict.dataSource));

      it('a query of a keyed table, in any mode', async () => {
        const modules = withFaulty('submissions', async (_event, store) => {
          await store.find(Submission, { where: { courseId: '1' } });
        });
        await expect(append(modules, false)).rejects.toThrow(/submissions is keyed/);
        await expect(append(modules, true)).rejects.toThrow(/submissions is keyed/);
      });

      it('a write of a row not read first through the store', async () => {
        const modules = withFaulty('submissions', async (_event, store) => {
          await store.write(Submission, null, { id: submissionId }, { courseId: null });
        });
        await expect(append(modules, true)).rejects.toThrow(/written without being read first/);
        expect(await append(modules, false)).toMatchObject([{ status: 'stored' }]);
      });

      it('a read by part of a key', async () => {
        const modules = withFaulty('submissions', async (_event, store) => {
          await store.read(Submission, { courseId: '1' });
        });
        await expect(append(modules, true)).rejects.toThrow(/not by its primary key/);
      });

      it('a write to a table another domain owns', async () => {
        const modules = withFaulty('submissions', async (_event, store) => {
          const id = globalIdOf('88002');
          await store.write(Course, await store.read(Course, { id }), { id }, { title: 'not mine' });
        });
        await expect(append(modules, true)).rejects.toThrow(/submissions wrote courses, which domain courses owns/);
      });

      it('a flush after which the database differs from what the store holds', async () => {
        // An id spelled with a leading zero is stored as the number: the row read back differs.
        const modules = withFaulty('users', async (_event, store) => {
          const id = globalIdOf('88003');
          const current = await store.read(User, { id });
          await store.write(User, current, { id }, { lastSeenAt: new Date(), login: 'x', id: `0${id}` } as never);
        });
        await expect(append(modules, true)).rejects.toThrow(/after flush, users/);
      });
    });
  });
}
