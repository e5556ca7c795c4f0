// How launches are joined to Canvas ids: a launch's custom_canvas_course_id (local) gets
// the shard of the root account whose root_account_lti_guid matches the launch's
// tool_consumer_instance_guid — known only from live events — else LTI_DEFAULT_SHARD,
// else the facts wait. Whatever order launches and live events arrive in, and after a
// replay, the projections are the same.
import { buildProjectorRegistry, projectionEntities } from '../../src/modules';
import type { ProjectionSettings } from '../../src/projection/domain-module';
import { Course } from '../../src/domains/courses/course.entity';
import { ResourceLink } from '../../src/domains/resource-links/resource-link.entity';
import { User } from '../../src/domains/users/user.entity';
import { Replayer } from '../../src/ingest/replay';
import { LtiFact } from '../../src/domains/lti/lti-fact.entity';
import { launchOnlyLinkId } from '../../src/domains/lti/lti-facts';
import {
  commentEvent,
  courseContext,
  freshLocalId,
  globalIdOf,
  permutations,
  plusMs,
  resourceLinkEvent,
  rootAccountOf,
  withMetadata,
} from '../support/builders';
import { describeEachDatabase, TestDatabase } from '../support/databases';
import { row } from '../support/ingest-app';
import { appendWith, freshLaunchParams, launchEvent } from '../support/lti';
import { clearEverything, snapshotProjections } from '../support/projections';

const SHARD = 35n;
const T0 = '2024-02-01T09:00:00.000Z';

/** One course of one consumer, seen by a launch and by live events. */
function scenario() {
  const params = freshLaunchParams();
  const guid = params.tool_consumer_instance_guid;
  const courseId = globalIdOf(params.custom_canvas_course_id, SHARD);
  const userId = globalIdOf(params.custom_canvas_user_id, SHARD);
  const canvasMetadata = {
    root_account_id: rootAccountOf(SHARD),
    root_account_lti_guid: guid,
    user_id: userId,
    user_login: 'ada@example.edu',
    user_sis_id: 'SIS-ADA',
  };
  const launch = launchEvent(params, T0);
  const comment = commentEvent({
    eventTime: plusMs(T0, 1000),
    metadata: { ...canvasMetadata, ...courseContext(courseId) },
  });
  const linkId = globalIdOf(freshLocalId(), SHARD);
  const link = withMetadata(
    resourceLinkEvent({
      resourceLinkId: linkId,
      courseId,
      eventTime: plusMs(T0, 2000),
      body: { resource_link_uuid: params.resource_link_id, context_type: 'Course' },
    }),
    { ...canvasMetadata, ...courseContext(courseId) },
  );
  return { params, guid, courseId, userId, linkId, launch, comment, link };
}

function replay(db: TestDatabase, settings: ProjectionSettings = {}) {
  return new Replayer(db.dataSource, buildProjectorRegistry(undefined, settings), projectionEntities).run({
    chunkSize: 2,
  });
}

describeEachDatabase('LTI launches joined to Canvas courses, links and users', (db) => {
  const ds = () => db().dataSource;

  it('keeps a launch whose root account is unknown waiting, and joins it when a live event names the account', async () => {
    const s = scenario();
    await appendWith(db(), [s.launch]);
    expect(await row(db(), Course, { id: s.courseId })).toBeNull();
    expect(await row(db(), User, { id: s.userId })).toBeNull();
    expect(
      await row(db(), LtiFact, { kind: 'context', ltiId: s.params.context_id, consumerGuid: s.guid }),
    ).toMatchObject({
      canvasRef: s.params.custom_canvas_course_id,
      appliedId: null,
    });

    await appendWith(db(), [s.comment]);
    expect(await row(db(), Course, { id: s.courseId })).toMatchObject({
      title: 'Introduction to Analytical Engines',
      courseCode: 'ENG-101',
      ltiContextId: s.params.context_id,
      firstSeenAt: new Date(T0),
    });
    expect(await row(db(), User, { id: s.userId })).toMatchObject({
      ltiUserId: s.params.user_id,
      name: 'Ada Lovelace',
      givenName: 'Ada',
      familyName: 'Lovelace',
      email: 'ada@example.edu',
      roles: 'Instructor,urn:lti:instrole:ims/lis/Administrator',
      login: 'ada@example.edu',
      sisId: 'SIS-ADA',
      lastSeenAt: new Date(plusMs(T0, 1000)),
    });
    // No live event has named the link yet: it is a launch-only link in the course.
    const launchOnly = launchOnlyLinkId(s.guid, s.params.resource_link_id);
    expect(await row(db(), ResourceLink, { id: launchOnly })).toMatchObject({
      contextId: s.courseId,
      contextType: 'Course',
      uuid: s.params.resource_link_id,
      title: 'Week 3 reading quiz',
      description: 'Quiz on chapters 4 and 5',
    });

    await appendWith(db(), [s.link]);
    expect(await row(db(), ResourceLink, { id: launchOnly })).toBeNull();
    expect(await row(db(), ResourceLink, { id: s.linkId })).toMatchObject({
      uuid: s.params.resource_link_id,
      title: 'Week 3 reading quiz',
      description: 'Quiz on chapters 4 and 5',
      url: 'https://example.com/lti/deep_link/12345',
    });
  });

  it('reaches the same projections in every arrival order of launch and live events, and again on replay', async () => {
    const s = scenario();
    const snapshots: Array<Record<string, unknown[]>> = [];
    for (const order of permutations([s.launch, s.comment, s.link])) {
      await clearEverything(ds());
      await appendWith(db(), order);
      snapshots.push(await snapshotProjections(ds()));
    }
    for (const snapshot of snapshots.slice(1)) expect(snapshot).toEqual(snapshots[0]);
    expect(snapshots[0].courses).toEqual([
      expect.objectContaining({ id: s.courseId, title: 'Introduction to Analytical Engines' }),
    ]);
    expect(snapshots[0].resource_links).toEqual([
      expect.objectContaining({ id: s.linkId, title: 'Week 3 reading quiz' }),
    ]);

    await replay(db());
    expect(await snapshotProjections(ds())).toEqual(snapshots[0]);
    await clearEverything(ds());
  });

  it('places a launch on LTI_DEFAULT_SHARD while its account is unknown, with the same result as the other order', async () => {
    const settings = { ltiDefaultShard: SHARD };
    const s = scenario();
    await appendWith(db(), [s.launch], settings);
    expect(await row(db(), Course, { id: s.courseId })).toMatchObject({ title: 'Introduction to Analytical Engines' });
    expect(await row(db(), User, { id: s.userId })).toMatchObject({ name: 'Ada Lovelace', login: null });
    await appendWith(db(), [s.comment, s.link], settings);
    const launchFirst = await snapshotProjections(ds());

    await clearEverything(ds());
    await appendWith(db(), [s.link, s.comment, s.launch], settings);
    expect(await snapshotProjections(ds())).toEqual(launchFirst);
    await replay(db(), settings);
    expect(await snapshotProjections(ds())).toEqual(launchFirst);
    await clearEverything(ds());
  });

  it('replays a waiting launch onto the default shard once one is configured', async () => {
    const s = scenario();
    await appendWith(db(), [s.launch]);
    expect(await row(db(), Course, { id: s.courseId })).toBeNull();
    await replay(db(), { ltiDefaultShard: SHARD });
    expect(await row(db(), Course, { id: s.courseId })).toMatchObject({ courseCode: 'ENG-101' });
    await clearEverything(ds());
  });

  it('takes a global custom_canvas_course_id as it is, whatever the consumer', async () => {
    const courseId = globalIdOf(freshLocalId(), 77n);
    const params = freshLaunchParams({ custom_canvas_course_id: courseId });
    await appendWith(db(), [launchEvent(params, T0)]);
    expect(await row(db(), Course, { id: courseId })).toMatchObject({ title: 'Introduction to Analytical Engines' });
  });

  it('keeps the newest launch’s title, and an older launch without a title erases nothing', async () => {
    const params = freshLaunchParams({ custom_canvas_course_id: globalIdOf(freshLocalId(), SHARD) });
    const older = launchEvent({ ...params, context_title: 'Old name', context_label: 'OLD' }, T0);
    const newer = launchEvent({ ...params, context_title: 'New name' }, plusMs(T0, 5000));
    delete (newer.body as Record<string, string>).context_label;
    const oldest = launchEvent({ ...params }, plusMs(T0, -5000));
    delete (oldest.body as Record<string, string>).context_title;
    const states = [];
    for (const order of [
      [older, newer, oldest],
      [oldest, newer, older],
      [newer, oldest, older],
    ]) {
      await clearEverything(ds());
      await appendWith(db(), order);
      // changedSeq is the log sequence of the last change: it follows arrival order.
      const { changedSeq: _changedSeq, ...state } = (await row(db(), Course, { id: params.custom_canvas_course_id }))!;
      states.push(state);
    }
    for (const state of states) expect(state).toEqual(states[0]);
    expect(states[0]).toMatchObject({ title: 'New name', courseCode: 'OLD', firstSeenAt: new Date(plusMs(T0, -5000)) });
    await clearEverything(ds());
  });

  it('does not title a course from a launch in a group', async () => {
    const courseId = globalIdOf(freshLocalId(), SHARD);
    const params = freshLaunchParams({
      custom_canvas_course_id: courseId,
      context_type: 'Group',
      context_title: 'Team 7',
    });
    await appendWith(db(), [launchEvent(params, T0)]);
    expect(await row(db(), Course, { id: courseId })).toBeNull();
  });

  it('ignores custom_canvas_course_id when Canvas did not expand it', async () => {
    const params = freshLaunchParams({ custom_canvas_course_id: '$Canvas.course.id' });
    const [outcome] = await appendWith(db(), [launchEvent(params, T0)], { ltiDefaultShard: SHARD });
    expect(outcome.status).toBe('stored');
    expect(
      await row(db(), LtiFact, {
        kind: 'context',
        ltiId: params.context_id,
        consumerGuid: params.tool_consumer_instance_guid,
      }),
    ).toMatchObject({
      canvasRef: null,
      appliedId: null,
    });
  });
});
