// Caliper 1.1 envelopes through POST /events, on both databases: each event its own log
// entry, deduplicated by its id; refusals per event and per envelope; signed envelopes;
// and the projection of each Caliper type whose Canvas-format twin the corpus documents:
// alone it projects what it carries as the twin does, with its twin (in either order)
// it gives the twin's projection, and it never erases what it does not carry.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { Assignment } from '../../src/domains/assignments/assignment.entity';
import { Enrollment } from '../../src/domains/enrollments/enrollment.entity';
import { Submission } from '../../src/domains/submissions/submission.entity';
import { EventLog } from '../../src/ingest/event-log';
import { importNdjson } from '../../src/ingest/ndjson-import';
import { Replayer } from '../../src/ingest/replay';
import { EventRecord } from '../../src/log/event.entity';
import { RejectedEvent } from '../../src/log/rejected-event.entity';
import { buildProjectorRegistry, projectionEntities } from '../../src/modules';
import { describeEachDatabase } from '../support/databases';
import { ingestApp, postEvents, rowOrFail, storedEvent } from '../support/ingest-app';
import { clearEverything, snapshotProjections } from '../support/projections';
import { ndjson, permutations } from '../support/builders';
import { jwksFixture, makeKey, sign } from '../support/signed-payloads';

const DOCS = join(__dirname, '../fixtures/canvas-docs');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const doc = (dir: 'canvas' | 'caliper', name: string): Json =>
  JSON.parse(readFileSync(join(DOCS, dir, `${name}.json`), 'utf8'));

/** A copy of `value` with `patch` applied at dotted paths (undefined deletes the key). */
function patched(value: Json, patch: Record<string, unknown>): Json {
  const copy = structuredClone(value);
  for (const [path, v] of Object.entries(patch)) {
    const keys = path.split('.');
    let at = copy;
    for (const key of keys.slice(0, -1)) at = at[key];
    if (v === undefined) delete at[keys[keys.length - 1]];
    else at[keys[keys.length - 1]] = v;
  }
  return copy;
}

/** A Caliper envelope of `events`. */
const envelope = (...events: unknown[]) => ({
  sensor: 'http://oxana.instructure.com/',
  sendTime: '2019-11-16T02:09:14.293Z',
  dataVersion: 'http://purl.imsglobal.org/ctx/caliper/v1p1',
  data: events,
});
const event = (name: string) => doc('caliper', name).data[0] as Json;

/**
 * Each projected Caliper example and the Canvas-format example of the same doc name,
 * made to state the same fact: where the two docs' examples differ (other ids, times, or
 * a metadata field current Canvas always sends), the Canvas one takes the Caliper one's.
 */
const TWINS: Record<string, { canvas: Json; caliper: Json }> = {
  submission_created: {
    caliper: doc('caliper', 'submission_created'),
    // The doc's metadata has no user_id; Canvas sends the acting user's.
    canvas: patched(doc('canvas', 'submission_created'), { 'metadata.user_id': '21070000000014012' }),
  },
  submission_updated: {
    caliper: doc('caliper', 'submission_updated'),
    canvas: patched(doc('canvas', 'submission_updated'), {
      'metadata.event_time': '2019-11-06T16:46:46.446Z',
      'metadata.user_id': '21070000000054321',
      'metadata.user_login': 'oxana',
      'metadata.user_sis_id': 'a10000',
      'metadata.root_account_lti_guid': '3298d98d938298kjasdgfklsdfj48348gJGJDASG',
      'body.submission_id': '21070000002947931',
      'body.assignment_id': '21070000000012345',
      'body.user_id': '21070000000098765',
      'body.submission_type': 'online_upload',
      'body.updated_at': '2019-11-06T16:46:46.000Z',
    }),
  },
  assignment_created: { caliper: doc('caliper', 'assignment_created'), canvas: doc('canvas', 'assignment_created') },
  assignment_updated: { caliper: doc('caliper', 'assignment_updated'), canvas: doc('canvas', 'assignment_updated') },
  enrollment_created: { caliper: doc('caliper', 'enrollment_created'), canvas: doc('canvas', 'enrollment_created') },
  enrollment_updated: {
    caliper: doc('caliper', 'enrollment_updated'),
    canvas: patched(doc('canvas', 'enrollment_updated'), {
      'metadata.event_time': '2019-11-01T19:11:19.407Z',
      'metadata.user_id': '21070000000000987',
      'metadata.user_login': 'oxana',
      'metadata.user_sis_id': 'ABC123',
      'body.enrollment_id': '21070000000549222',
      'body.user_id': '21070000000093482',
      'body.course_section_id': '21070000000509348',
      'body.user_name': 'Isaac Newton',
      'body.created_at': '2019-10-11T13:16:23.000Z',
      'body.updated_at': '2019-11-01T19:11:18.000Z',
    }),
  },
};

/** The columns Caliper carries, per table: what a Caliper event alone must project as its twin does. */
const CARRIED: Record<string, string[]> = {
  submissions: ['id', 'courseId', 'assignmentId', 'userId', 'attempt', 'body', 'submissionType', 'url'],
  assignments: [
    'id',
    'courseId',
    'title',
    'description',
    'dueAt',
    'unlockAt',
    'lockAt',
    'pointsPossible',
    'firstSeenAt',
  ],
  enrollments: [
    'id',
    'courseId',
    'userId',
    'courseSectionId',
    'type',
    'workflowState',
    'userName',
    'createdAt',
    'updatedAt',
  ],
  courses: ['id', 'firstSeenAt', 'lastActivityAt'],
  users: ['id', 'lastSeenAt', 'login', 'sisId'],
};

/**
 * The read models as a reader sees them: version columns (which hold the content hash
 * of the event that set a value, so differ between formats stating the same value) left out.
 */
async function readModels(db: () => { dataSource: import('typeorm').DataSource }) {
  const snapshot = await snapshotProjections(db().dataSource);
  return Object.fromEntries(
    Object.entries(snapshot).map(([table, rows]) => [
      table,
      (rows as Json[]).map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !/Versions?$/.test(k)))),
    ]),
  );
}

/** The columns Caliper carries that `caliper` (read models from a Caliper event alone) holds, from `models`. */
function carried(models: Record<string, Json[]>, caliper: Record<string, Json[]>, twinOf: string) {
  const tables = [`${twinOf}s`, 'courses', 'users'];
  return Object.fromEntries(
    tables.map((t) => [
      t,
      models[t].map((r, i) =>
        Object.fromEntries(CARRIED[t].filter((k) => caliper[t][i]?.[k] != null).map((k) => [k, r[k]])),
      ),
    ]),
  );
}

describeEachDatabase('Caliper 1.1 over POST /events', (db) => {
  let app: Express;
  beforeAll(async () => {
    app = await ingestApp(db());
  });
  beforeEach(() => clearEverything(db().dataSource));

  const post = async (body: unknown, contentType?: string) => {
    const res = await postEvents(app, body, contentType);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('stores each event of an envelope as its own entry, kept as a one-event envelope, and answers per event', async () => {
    const first = event('submission_created');
    const second = event('course_created');
    const body = await post(envelope(first, second));
    expect(body).toEqual({
      errors: false,
      items: [
        { index: 0, status: 'stored', id: expect.any(String), name: 'caliper:AssignableEvent:Submitted:Attempt' },
        { index: 1, status: 'unprojected', id: expect.any(String), name: 'caliper:Event:Created:CourseOffering' },
      ],
    });
    const stored = await storedEvent(db(), body.items[0].id);
    expect(stored).toMatchObject({ status: 'PROJECTED', time: new Date(first.eventTime), error: null });
    expect(JSON.parse(stored.payload)).toEqual({ ...envelope(first), data: [first] });
  });

  it('deduplicates by the event id: sent again in another envelope, at another sendTime, with other content', async () => {
    const first = event('assignment_created');
    const { items } = await post(envelope(first));
    const again = await post({ ...envelope(first), sendTime: '2020-01-01T00:00:00Z' });
    const altered = await post(envelope(patched(first, { 'object.name': 'renamed' })));
    expect([again.items[0], altered.items[0]]).toEqual([
      expect.objectContaining({ status: 'duplicate', id: items[0].id }),
      expect.objectContaining({ status: 'duplicate', id: items[0].id }),
    ]);
    // In one envelope, too; a Canvas-format event is never a duplicate of a Caliper one.
    const both = await post([envelope(first, first), doc('canvas', 'assignment_created')]);
    expect(both.items.map((i: Json) => i.status)).toEqual(['duplicate', 'duplicate', 'stored']);
    expect(await db().dataSource.getRepository(EventRecord).count()).toBe(2);
    expect((await rowOrFail(db(), Assignment, { id: '21070000000000371' })).title).toBe('add_new_assignment_3');
  });

  it('keeps the good events of an envelope and refuses the bad ones, each with its reason and place', async () => {
    const good = event('submission_created');
    const body = await post(
      envelope(
        good,
        patched(event('course_created'), { eventTime: undefined }),
        'not an event',
        patched(event('logged_in'), { id: undefined }),
        patched(event('assignment_created'), { 'object.id': 'urn:instructure:canvas:course:1' }),
      ),
    );
    expect(body.errors).toBe(true);
    expect(body.items).toEqual([
      expect.objectContaining({ index: 0, status: 'stored' }),
      expect.objectContaining({ index: 1, status: 'rejected', reason: 'data[1].eventTime: is missing' }),
      expect.objectContaining({
        index: 2,
        status: 'rejected',
        reason: 'data[2]: a Caliper event must be a JSON object, got "not an event"',
      }),
      expect.objectContaining({ index: 3, status: 'rejected', reason: 'data[3].id: is missing' }),
      expect.objectContaining({
        index: 4,
        status: 'invalid',
        reason:
          'object.id: must be a Canvas assignment IRI (urn:instructure:canvas:assignment:<id>), got "urn:instructure:canvas:course:1"',
      }),
    ]);
    const kept = await rowOrFail(db(), RejectedEvent, { id: body.items[1].rejectedId });
    expect(kept.reason).toBe('data[1].eventTime: is missing');
    expect(JSON.parse(kept.raw).id).toBe(event('course_created').id);
    expect((await storedEvent(db(), body.items[4].id)).status).toBe('INVALID');
  });

  it.each([
    [
      'no data',
      { sensor: 'x', sendTime: '2019-11-16T02:09:14.293Z' },
      'data: is missing: a Caliper envelope carries its events in data[]',
    ],
    ['data not an array', { ...envelope(), data: {} }, 'data: must be an array of Caliper events, got an object'],
    ['empty data', envelope(), 'data: no events: the Caliper envelope has none'],
    [
      'more than 1,000 events',
      envelope(...Array.from({ length: 1001 }, () => ({}))),
      'data: holds 1001 events; a Caliper envelope may hold at most 1000',
    ],
    [
      'large fields of its own and several events (each would be kept with a copy)',
      { ...envelope({}, {}), sensor: 'x'.repeat(5000) },
      "data: the envelope's fields besides data take 5110 bytes; at most 4096 when data holds several events (each is kept with them)",
    ],
    [
      'fields of its own that, copied to each event, would outweigh the events (a small body stored many times over)',
      {
        ...envelope(
          ...Array.from({ length: 1000 }, (_, i) => ({
            id: `urn:uuid:${i}`,
            type: 'Event',
            eventTime: '2020-01-01T00:00:00Z',
          })),
        ),
        sensor: 'x'.repeat(3900),
      },
      "data: the envelope's fields besides data (4010 bytes) would be kept with each of its 1000 events, " +
        '4,005,990 bytes of copies for 71,891 bytes of events: send fewer events per envelope, or smaller fields',
    ],
  ])('refuses an envelope with %s (400, kept with the reason)', async (_what, body, reason) => {
    const res = await postEvents(app, body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(reason);
    expect((await rowOrFail(db(), RejectedEvent, { id: res.body.error.rejectedId })).reason).toBe(reason);
    expect(await db().dataSource.getRepository(EventRecord).count()).toBe(0);
  });

  it('refuses a Canvas-format event named like a Caliper one', async () => {
    const res = await postEvents(
      app,
      patched(doc('canvas', 'submission_created'), { 'metadata.event_name': 'caliper:x' }),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^metadata\.event_name: must not start with "caliper:"/);
  });

  it('accepts a signed envelope (the claims are the envelope), and envelopes in an array', async () => {
    const key = await makeKey('caliper');
    const jwks = await jwksFixture([key]);
    try {
      const signedApp = await ingestApp(db(), { verifier: jwks.verifier });
      const res = await request(signedApp)
        .post('/events')
        .set('Content-Type', 'application/jwt')
        .send(await sign(envelope(event('submission_created'), event('assignment_created')), key));
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: Json) => i.status)).toEqual(['stored', 'stored']);
    } finally {
      jwks.remove();
    }
    const body = await post([envelope(event('logged_in')), envelope(event('logged_out'), event('syllabus_updated'))]);
    expect(body.items.map((i: Json) => [i.index, i.status])).toEqual([
      [0, 'unprojected'],
      [1, 'unprojected'],
      [2, 'unprojected'],
    ]);
  });

  it('imports Caliper envelopes from an NDJSON file (npm run import), one entry per event', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'caliper-import-'));
    try {
      const path = join(dir, 'events.ndjson');
      writeFileSync(
        path,
        ndjson([envelope(event('submission_created'), event('logged_in')), doc('canvas', 'assignment_created')]),
      );
      const log = new EventLog(db().dataSource, buildProjectorRegistry());
      expect(await importNdjson(log, path)).toMatchObject({ lines: 2, stored: 2, unprojected: 1, rejected: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe.each(Object.keys(TWINS))('%s and its Canvas-format twin', (name) => {
    const { canvas, caliper } = TWINS[name];
    const twinOf = name.split('_')[0];

    it('alone, the Caliper event projects what it carries as the twin does', async () => {
      expect((await post(caliper)).items[0].status).toBe('stored');
      const caliperModels = await readModels(db);
      const fromCaliper = carried(caliperModels, caliperModels, twinOf);
      await clearEverything(db().dataSource);
      expect((await postEvents(app, canvas)).body.status).toBe('stored');
      expect(fromCaliper).toEqual(carried(await readModels(db), caliperModels, twinOf));
      // The object's row, its course (when the event has a group) and its user, with every carried column it states.
      const row = fromCaliper[`${twinOf}s`];
      expect(row).toHaveLength(1);
      expect(Object.keys(row[0]).length).toBeGreaterThanOrEqual(5);
    });

    it('delivered in both formats, in either order, it counts once: the read models of the twin alone', async () => {
      await postEvents(app, canvas);
      const canvasAlone = await readModels(db);
      for (const order of [
        [canvas, caliper],
        [caliper, canvas],
      ]) {
        await clearEverything(db().dataSource);
        for (const e of order) expect((await postEvents(app, e)).status).toBe(200);
        expect(await readModels(db)).toEqual(canvasAlone);
      }
      // Replay rebuilds the same from the log.
      await new Replayer(db().dataSource, buildProjectorRegistry(), projectionEntities).run();
      expect(await readModels(db)).toEqual(canvasAlone);
    });
  });

  it('a Caliper event never erases what it does not carry; each field is the newest statement of it, in any order', async () => {
    const id = '21070000012345567';
    const canvasAt = (time: string, patch: Record<string, unknown> = {}) =>
      patched(TWINS.submission_created.canvas, {
        'metadata.event_time': time,
        'body.updated_at': time,
        ...patch,
      });
    const caliperAt = (time: string, patch: Record<string, unknown> = {}) =>
      envelope(patched(event('submission_created'), { id: `urn:uuid:${time}`, eventTime: time, ...patch }));
    const events = [
      canvasAt('2020-01-01T00:00:00.000Z', { 'body.grade': 'A', 'body.attempt': 1 }),
      caliperAt('2020-01-02T00:00:00.000Z', { 'object.count': 2, 'object.body': undefined }),
      canvasAt('2020-01-03T00:00:00.000Z', { 'body.grade': 'B', 'body.attempt': 2, 'body.body': 'third' }),
      caliperAt('2020-01-04T00:00:00.000Z', { 'object.count': 3, 'object.body': 'fourth' }),
    ];
    let expected: unknown;
    for (const order of permutations(events)) {
      await clearEverything(db().dataSource);
      for (const e of order) await postEvents(app, e);
      const row = await rowOrFail(db(), Submission, { id });
      // Grade from the newest snapshot; attempt and body from the newest Caliper event, newer than it.
      expect(row).toMatchObject({ grade: 'B', attempt: 3, body: 'fourth', score: 99.5 });
      const models = await snapshotProjections(db().dataSource);
      if (expected === undefined) expected = models;
      expect(models).toEqual(expected);
    }
    // History holds the Canvas-format states only.
    expect((expected as Record<string, unknown[]>).submission_versions).toHaveLength(2);
  });

  it('an assignment field a Caliper event leaves out is kept; one it sends as null is cleared', async () => {
    await postEvents(app, TWINS.assignment_updated.canvas);
    const later = (patch: Record<string, unknown>, uuid: string) =>
      envelope(
        patched(event('assignment_updated'), {
          id: uuid,
          'object.dateModified': '2020-01-01T00:00:00.000Z',
          'object.name': 'renamed',
          ...patch,
        }),
      );
    await post(later({ 'object.description': undefined, 'object.maxScore': undefined }, 'urn:uuid:1'));
    const kept = await rowOrFail(db(), Assignment, { id: '21070000002030605' });
    expect(kept).toMatchObject({
      title: 'renamed',
      description: TWINS.assignment_updated.canvas.body.description,
      pointsPossible: 100,
      submissionTypes: TWINS.assignment_updated.canvas.body.submission_types,
    });
    await post(later({ 'object.description': null, 'object.dateModified': '2020-01-02T00:00:00.000Z' }, 'urn:uuid:2'));
    expect(await rowOrFail(db(), Assignment, { id: '21070000002030605' })).toMatchObject({
      description: null,
      pointsPossible: 100,
    });
  });

  /** The Caliper enrollment_updated example with its Canvas extension patched (undefined deletes a key). */
  const enrollmentAt = (uuid: string, patch: Record<string, unknown>, extension: Record<string, unknown> = {}) => {
    const e = patched(event('enrollment_updated'), { id: uuid, ...patch });
    const ext = e.object.extensions['com.instructure.canvas'];
    for (const [key, value] of Object.entries(extension)) {
      if (value === undefined) delete ext[key];
      else ext[key] = value;
    }
    return envelope(e);
  };

  it('a Caliper enrollment alone: each field of its extension, the course from course_id (group is the section)', async () => {
    expect((await post(TWINS.enrollment_created.caliper)).items[0].status).toBe('stored');
    expect(await rowOrFail(db(), Enrollment, { id: '21070000000046825' })).toMatchObject({
      courseId: '21070000000000565',
      userId: '21070000000020064',
      courseSectionId: '21070000000004811',
      type: 'StudentEnrollment',
      role: null,
      roleId: null,
      workflowState: 'invited',
      userName: 'Isaac Newton',
      createdAt: new Date('2018-10-09T21:07:33Z'),
      updatedAt: new Date('2018-10-09T21:07:33Z'),
    });
    const models = await readModels(db);
    expect(models.courses.map((c) => c.id)).toEqual(['21070000000000565']);
    expect(models.users.map((u) => u.id).sort()).toEqual(['21070000000000001', '21070000000020064']);
    // enrollment_updated has dateModified: it is the clock; dateCreated stays createdAt.
    await post(TWINS.enrollment_updated.caliper);
    expect(await rowOrFail(db(), Enrollment, { id: '21070000000549222' })).toMatchObject({
      createdAt: new Date('2019-10-11T13:16:23Z'),
      updatedAt: new Date('2019-11-01T19:11:18Z'),
    });
  });

  it('an enrollment field a Caliper event leaves out is kept; one it sends as null is cleared', async () => {
    const id = '21070000000549222';
    // Caliper has no role: a Canvas-format one that says it keeps it.
    await postEvents(app, patched(TWINS.enrollment_updated.canvas, { 'body.role': 'StudentEnrollment' }));
    await post(
      enrollmentAt(
        'urn:uuid:1',
        { 'object.dateModified': '2020-01-01T00:00:00.000Z' },
        { workflow_state: 'active', user_name: undefined, type: undefined, course_section_id: undefined },
      ),
    );
    expect(await rowOrFail(db(), Enrollment, { id })).toMatchObject({
      workflowState: 'active',
      userName: 'Isaac Newton',
      type: 'StudentEnrollment',
      role: 'StudentEnrollment',
      courseSectionId: '21070000000509348',
      updatedAt: new Date('2020-01-01T00:00:00Z'),
    });
    await post(
      enrollmentAt(
        'urn:uuid:2',
        { 'object.dateModified': '2020-01-02T00:00:00.000Z' },
        { user_name: null, course_section_id: null, workflow_state: undefined },
      ),
    );
    expect(await rowOrFail(db(), Enrollment, { id })).toMatchObject({
      workflowState: 'active',
      userName: null,
      courseSectionId: null,
      type: 'StudentEnrollment',
      role: 'StudentEnrollment',
    });
    // An older Caliper event changes nothing it is older for.
    await post(enrollmentAt('urn:uuid:3', {}, { workflow_state: 'deleted', user_name: 'Old Name' }));
    expect(await rowOrFail(db(), Enrollment, { id })).toMatchObject({ workflowState: 'active', userName: null });
  });

  it('the other kinds named Event:Created/Modified:Entity, enrollment states too, stay unprojected as their twins', async () => {
    const others = [
      'assignment_override_created',
      'assignment_override_updated',
      'enrollment_state_created',
      'enrollment_state_updated',
      'group_category_created',
      'user_account_association_created',
    ];
    const body = await post(envelope(...others.map(event)));
    expect(body.items.map((i: Json) => [i.name, i.status])).toEqual(
      others.map(() => [expect.stringMatching(/^caliper:Event:(Created|Modified):Entity$/), 'unprojected']),
    );
    // Not even their course and user: nothing is projected of them.
    expect(Object.values(await snapshotProjections(db().dataSource)).flat()).toEqual([]);
  });

  it('keeps a malformed Caliper enrollment INVALID, with the field and what was wrong', async () => {
    const ext = 'object.extensions.com.instructure.canvas';
    const body = await post(
      envelope(
        ...[
          { user_id: undefined },
          { user_id: 'urn:instructure:canvas:course:1' },
          { course_section_id: 'urn:instructure:canvas:section:4811' },
          { course_id: 'urn:instructure:canvas:course:99999999999999999999' },
          { workflow_state: 'x'.repeat(33) },
        ].map((extension, i) => enrollmentAt(`urn:uuid:bad-${i}`, {}, extension).data[0]),
      ),
    );
    expect(body.items.map((i: Json) => [i.status, i.reason])).toEqual([
      ['invalid', `${ext}.user_id: is required`],
      [
        'invalid',
        `${ext}.user_id: must be a Canvas user IRI (urn:instructure:canvas:user:<id>), got "urn:instructure:canvas:course:1"`,
      ],
      [
        'invalid',
        `${ext}.course_section_id: must be a Canvas section IRI (urn:instructure:canvas:course:<id>:section:<id>), got "urn:instructure:canvas:section:4811"`,
      ],
      ['invalid', expect.stringMatching(/^object\.extensions\.com\.instructure\.canvas\.course_id: .*64/)],
      ['invalid', expect.stringMatching(/^object\.extensions\.com\.instructure\.canvas\.workflow_state: /)],
    ]);
    expect(await db().dataSource.getRepository(Enrollment).count()).toBe(0);
  });
});

describeEachDatabase('absent and null in Canvas-format bodies', (db) => {
  let app: Express;
  beforeAll(async () => {
    app = await ingestApp(db());
  });
  beforeEach(() => clearEverything(db().dataSource));

  it('a compacted submission (current Canvas drops null fields) projects as the documented one with nulls', async () => {
    const documented = doc('canvas', 'submission_updated');
    const nulls = Object.keys(documented.body).filter((k) => documented.body[k] === null);
    expect(nulls).toEqual(['lti_user_id', 'url']);
    const compacted = patched(documented, Object.fromEntries(nulls.map((k) => [`body.${k}`, undefined])));
    await postEvents(app, documented);
    const withNulls = await readModels(db);
    expect(withNulls.submissions[0]).toMatchObject({ url: null, ltiUserId: null });
    await clearEverything(db().dataSource);
    expect((await postEvents(app, compacted)).body.status).toBe('stored');
    expect(await readModels(db)).toEqual(withNulls);
  });

  it('a compacted assignment leaves unsaid fields as they were; an explicit null clears', async () => {
    const created = doc('canvas', 'assignment_created');
    await postEvents(app, created);
    const later = (patch: Record<string, unknown>, at: string) =>
      patched(created, {
        'metadata.event_name': 'assignment_updated',
        'metadata.event_time': at,
        'body.updated_at': at,
        ...patch,
      });
    await postEvents(app, later({ 'body.due_at': undefined, 'body.description': undefined }, '2020-01-01T00:00:00Z'));
    expect(await rowOrFail(db(), Assignment, { id: created.body.assignment_id })).toMatchObject({
      dueAt: new Date(created.body.due_at),
      description: created.body.description,
    });
    await postEvents(app, later({ 'body.due_at': null }, '2020-01-02T00:00:00Z'));
    expect(await rowOrFail(db(), Assignment, { id: created.body.assignment_id })).toMatchObject({
      dueAt: null,
      description: created.body.description,
    });
  });

  it("keeps the docs' grade_override example, which says event_name grade_change, as grade_change", async () => {
    const text = readFileSync(join(DOCS, 'canvas', 'grade_override.json'), 'utf8');
    const res = await postEvents(app, text);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'unprojected', name: 'grade_change' });
    expect((await storedEvent(db(), res.body.id)).payload).toBe(text);
    // Its twin from the grade_change doc is another event, not a duplicate.
    const twin = await postEvents(app, readFileSync(join(DOCS, 'canvas', 'grade_change.json'), 'utf8'));
    expect(twin.body.status).toBe('unprojected');
  });
});
