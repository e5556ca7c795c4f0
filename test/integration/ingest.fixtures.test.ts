// Every Canvas fixture, posted as Canvas sends it, and the projection it leaves, field by
// field. Expected values are derived from the fixture itself: ids widened with the shard
// of metadata.root_account_id by plain BigInt arithmetic, times read as instants.
import type { Express } from 'express';
import { Assignment } from '../../src/domains/assignments/assignment.entity';
import { Course } from '../../src/domains/courses/course.entity';
import { Enrollment } from '../../src/domains/enrollments/enrollment.entity';
import { User } from '../../src/domains/users/user.entity';
import { Conversation } from '../../src/domains/conversations/conversation.entity';
import { ConversationMessage } from '../../src/domains/conversations/conversation-message.entity';
import { ConversationParticipant } from '../../src/domains/conversations/conversation-participant.entity';
import { ResourceLink } from '../../src/domains/resource-links/resource-link.entity';
import { Submission } from '../../src/domains/submissions/submission.entity';
import { SubmissionComment } from '../../src/domains/submissions/submission-comment.entity';
import { SubmissionVersion } from '../../src/domains/submissions/submission-version.entity';
import { EventRecord } from '../../src/log/event.entity';
import { describeEachDatabase } from '../support/databases';
import { CanvasEvent, fixture, FIXTURE_NAMES, fixtureText, FixtureName } from '../support/builders';
import { ingestApp, postEvents, row, rowOrFail } from '../support/ingest-app';

/** The oracle for widening: global = shard(root account) * 10^13 + local, for local ids only. */
function widen(id: unknown, event: CanvasEvent): string {
  const value = BigInt(String(id));
  const shard = BigInt(String(event.metadata.root_account_id)) / 10n ** 13n;
  return (value < 10n ** 13n ? shard * 10n ** 13n + value : value).toString();
}
const at = (text: unknown) => new Date(String(text));
const f = (name: FixtureName) => fixture(name);

describeEachDatabase('ingesting every Canvas fixture', (db) => {
  let app: Express;
  const eventIds = new Map<FixtureName, string>();

  beforeAll(async () => {
    app = await ingestApp(db());
    for (const name of FIXTURE_NAMES) {
      const res = await postEvents(app, fixtureText(name));
      expect(res.status).toBe(200);
      eventIds.set(name, res.body.id);
    }
  });

  it.each(FIXTURE_NAMES)('stores %s once, projected, with its payload exactly as received', async (name) => {
    const stored = await rowOrFail(db(), EventRecord, { id: eventIds.get(name)! });
    expect(stored).toEqual({
      id: eventIds.get(name),
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      name,
      time: at(f(name).metadata.event_time),
      receivedAt: expect.any(Date),
      status: 'PROJECTED',
      error: null,
      payload: fixtureText(name),
    });
  });

  it('projects submission_created: every body field, global ids above 2^53 exact, no course without a context', async () => {
    const e = f('submission_created');
    const b = e.body;
    expect(BigInt(String(b.submission_id))).toBeGreaterThan(2n ** 53n);
    const submission = await rowOrFail(db(), Submission, { id: String(b.submission_id) });
    expect(submission).toEqual({
      changedSeq: expect.any(String), // exports: the log sequence of the last change
      id: b.submission_id,
      assignmentId: b.assignment_id,
      userId: b.user_id,
      courseId: null,
      attempt: b.attempt,
      body: b.body,
      grade: b.grade,
      score: b.score,
      late: b.late,
      missing: b.missing,
      groupId: widen(b.group_id, e),
      ltiAssignmentId: b.lti_assignment_id,
      ltiUserId: b.lti_user_id,
      submissionType: b.submission_type,
      url: b.url,
      workflowState: b.workflow_state,
      submittedAt: at(b.submitted_at),
      gradedAt: at(b.graded_at),
      updatedAt: at(b.updated_at),
      stateVersion: expect.stringContaining(at(b.updated_at).toISOString()),
      // The documented examples predate posted_at: absent, so unknown.
      postedAt: null,
      postedAtVersion: null,
      fieldVersions: null,
    });
  });

  it('projects submission_updated: explicit nulls stay null and the course comes from the metadata context', async () => {
    const e = f('submission_updated');
    const b = e.body;
    const submission = await rowOrFail(db(), Submission, { id: String(b.submission_id) });
    expect(submission).toEqual({
      changedSeq: expect.any(String), // exports: the log sequence of the last change
      id: b.submission_id,
      assignmentId: b.assignment_id,
      userId: b.user_id,
      courseId: e.metadata.context_id,
      attempt: b.attempt,
      body: b.body,
      grade: b.grade,
      score: b.score,
      late: b.late,
      missing: b.missing,
      groupId: widen(b.group_id, e),
      ltiAssignmentId: b.lti_assignment_id,
      ltiUserId: null,
      submissionType: b.submission_type,
      url: null,
      workflowState: b.workflow_state,
      submittedAt: at(b.submitted_at),
      gradedAt: at(b.graded_at),
      updatedAt: at(b.updated_at),
      stateVersion: expect.stringContaining(at(b.updated_at).toISOString()),
      // The documented examples predate posted_at: absent, so unknown.
      postedAt: null,
      postedAtVersion: null,
      fieldVersions: null,
    });
  });

  it.each(['submission_created', 'submission_updated'] as const)(
    'records %s in the submission history',
    async (name) => {
      const e = f(name);
      const b = e.body;
      const versions = await db()
        .dataSource.getRepository(SubmissionVersion)
        .findBy({ submissionId: String(b.submission_id) });
      expect(versions).toEqual([
        {
          id: expect.any(String),
          submissionId: b.submission_id,
          eventId: eventIds.get(name),
          eventName: name,
          eventTime: at(e.metadata.event_time),
          clock: at(b.updated_at),
          attempt: b.attempt,
          grade: b.grade,
          score: b.score,
          workflowState: b.workflow_state,
          late: b.late,
          missing: b.missing,
          submittedAt: at(b.submitted_at),
          gradedAt: at(b.graded_at),
          updatedAt: at(b.updated_at),
        },
      ]);
    },
  );

  it('projects submission_comment_created with its local body ids widened to global ids', async () => {
    const e = f('submission_comment_created');
    const b = e.body;
    const commentId = widen(b.submission_comment_id, e);
    const comment = await rowOrFail(db(), SubmissionComment, { id: commentId });
    expect(comment).toEqual({
      changedSeq: expect.any(String), // exports: the log sequence of the last change
      id: commentId,
      submissionId: widen(b.submission_id, e),
      authorId: widen(b.user_id, e),
      body: b.body,
      attachmentIds: JSON.stringify((b.attachment_ids as string[]).map((id) => widen(id, e))),
      createdAt: at(b.created_at),
      stateVersion: expect.any(String),
    });
    // The body's local user id and the metadata's global one name the same person.
    expect(comment.authorId).toBe(e.metadata.user_id);
  });

  it('creates the submission a comment names, in the comment’s course, knowing nothing else yet', async () => {
    const e = f('submission_comment_created');
    const submission = await rowOrFail(db(), Submission, { id: widen(e.body.submission_id, e) });
    expect(submission).toMatchObject({
      courseId: e.metadata.context_id,
      assignmentId: null,
      userId: null,
      updatedAt: null,
      stateVersion: null,
      fieldVersions: null,
    });
    expect(await db().dataSource.getRepository(SubmissionVersion).countBy({ submissionId: submission.id })).toBe(0);
  });

  it.each(['assignment_created', 'assignment_updated'] as const)(
    'projects %s: every field, the course from the body context',
    async (name) => {
      const e = f(name);
      const b = e.body;
      expect(b.context_type).toBe('Course');
      const assignment = await rowOrFail(db(), Assignment, { id: String(b.assignment_id) });
      expect(assignment).toEqual({
        changedSeq: expect.any(String), // exports: the log sequence of the last change
        id: b.assignment_id,
        courseId: b.context_id,
        title: b.title,
        description: b.description,
        dueAt: at(b.due_at),
        unlockAt: at(b.unlock_at),
        lockAt: at(b.lock_at),
        pointsPossible: b.points_possible,
        submissionTypes: b.submission_types,
        workflowState: b.workflow_state,
        // Canvas sends no created_at: the creation event's time stands for it.
        createdAt: name === 'assignment_created' ? at(e.metadata.event_time) : null,
        updatedAt: at(b.updated_at),
        firstSeenAt: at(e.metadata.event_time),
        stateVersion: expect.stringContaining(at(b.updated_at).toISOString()),
        fieldVersions: expect.any(String),
      });
    },
  );

  it('projects enrollment_created then _updated: every field, the later event winning the equal updated_at', async () => {
    const created = f('enrollment_created');
    const updated = f('enrollment_updated');
    const b = updated.body;
    expect(created.body.enrollment_id).toBe(b.enrollment_id);
    expect(created.body.updated_at).toBe(b.updated_at);
    const enrollment = await rowOrFail(db(), Enrollment, { id: String(b.enrollment_id) });
    expect(enrollment).toEqual({
      id: b.enrollment_id,
      courseId: b.course_id,
      userId: b.user_id,
      courseSectionId: b.course_section_id,
      type: b.type,
      role: null,
      roleId: null,
      workflowState: b.workflow_state,
      userName: b.user_name,
      createdAt: at(b.created_at),
      updatedAt: at(b.updated_at),
      stateVersion: expect.stringContaining(
        `${at(b.updated_at).toISOString()}|${at(updated.metadata.event_time).toISOString()}|`,
      ),
      fieldVersions: expect.any(String),
      changedSeq: expect.any(String), // exports: the log sequence of the last change
    });
    expect(created.body.course_section_id).not.toBe(b.course_section_id);
  });

  it('creates the course and user an enrollment names, even without a course context in its metadata', async () => {
    const updated = f('enrollment_updated');
    expect(updated.metadata.context_type).toBeUndefined();
    const course = await rowOrFail(db(), Course, { id: String(updated.body.course_id) });
    expect(+course.lastActivityAt).toBeGreaterThanOrEqual(+at(updated.metadata.event_time));
    const user = await rowOrFail(db(), User, { id: String(updated.body.user_id) });
    const times = [f('enrollment_created'), updated].map((e) => +at(e.metadata.event_time));
    expect(user).toMatchObject({ name: null, login: null, lastSeenAt: new Date(Math.max(...times)) });
  });

  it.each(['submission_created', 'submission_updated'] as const)(
    'creates the assignment %s names, with its id and the course of its context only',
    async (name) => {
      const e = f(name);
      const assignment = await rowOrFail(db(), Assignment, { id: String(e.body.assignment_id) });
      expect(assignment).toEqual({
        changedSeq: expect.any(String), // exports: the log sequence of the last change
        id: e.body.assignment_id,
        courseId: e.metadata.context_type === 'Course' ? e.metadata.context_id : null,
        title: null,
        description: null,
        dueAt: null,
        unlockAt: null,
        lockAt: null,
        pointsPossible: null,
        submissionTypes: null,
        workflowState: null,
        createdAt: null,
        updatedAt: null,
        firstSeenAt: at(e.metadata.event_time),
        stateVersion: null,
        fieldVersions: null,
      });
    },
  );

  it('projects the resource link from lti_resource_link_created and _updated', async () => {
    const created = f('lti_resource_link_created');
    const updated = f('lti_resource_link_updated');
    const b = updated.body;
    const link = await rowOrFail(db(), ResourceLink, { id: String(b.resource_link_id) });
    expect(link).toEqual({
      changedSeq: expect.any(String), // exports: the log sequence of the last change
      id: b.resource_link_id,
      uuid: b.resource_link_uuid,
      lookupUuid: b.lookup_uuid,
      contextId: b.context_id,
      contextType: b.context_type,
      toolId: b.context_external_tool_id,
      url: b.url,
      workflowState: b.workflow_state,
      // The documented examples have no body.title (current Canvas sends it), and no launch named the link.
      title: null,
      liveTitle: null,
      liveTitleVersion: null,
      launchTitle: null,
      launchTitleVersion: null,
      description: null,
      createdAt: at(created.metadata.event_time),
      updatedAt: new Date(Math.max(+at(created.metadata.event_time), +at(updated.metadata.event_time))),
      stateVersion: expect.any(String),
    });
  });

  it('projects the course of every event with a Course context: account, SIS id, first seen and last activity', async () => {
    const withCourse = FIXTURE_NAMES.map(f).filter((e) => e.metadata.context_type === 'Course');
    const courseIds = [...new Set(withCourse.map((e) => String(e.metadata.context_id)))];
    expect(courseIds.length).toBeGreaterThan(0);
    for (const courseId of courseIds) {
      const events = withCourse.filter((e) => e.metadata.context_id === courseId);
      const times = events.map((e) => +at(e.metadata.event_time));
      const latest = events.reduce((a, e) => (+at(e.metadata.event_time) > +at(a.metadata.event_time) ? e : a));
      const course = await rowOrFail(db(), Course, { id: courseId });
      expect(course).toEqual({
        changedSeq: expect.any(String), // exports: the log sequence of the last change
        id: courseId,
        accountId: latest.metadata.context_account_id,
        sisSourceId: latest.metadata.context_sis_source_id,
        title: null,
        courseCode: null,
        ltiContextId: null,
        firstSeenAt: new Date(Math.min(...times)),
        lastActivityAt: new Date(Math.max(...times)),
        metadataVersion: expect.any(String),
        accountIdVersion: expect.any(String),
        sisSourceIdVersion: expect.any(String),
      });
    }
  });

  it('creates the course a resource link is placed in when its body context is a Course', async () => {
    const link = f('lti_resource_link_created');
    expect(link.body.context_type).toBe('Course');
    const course = await rowOrFail(db(), Course, { id: String(link.body.context_id) });
    expect(course).toMatchObject({ accountId: null, sisSourceId: null, firstSeenAt: at(link.metadata.event_time) });
  });

  it('projects conversation_created: its starter, creation time and updated_at', async () => {
    const e = f('conversation_created');
    const id = widen(e.body.conversation_id, e);
    expect(await rowOrFail(db(), Conversation, { id })).toEqual({
      id,
      startedById: e.metadata.user_id,
      createdAt: at(e.metadata.event_time),
      updatedAt: at(e.body.updated_at),
      createdVersion: expect.any(String),
      // Its metadata has no context: no course. No message yet: active since its creation.
      courseId: null,
      courseVersion: null,
      lastMessageAt: null,
      lastActivityAt: at(e.metadata.event_time),
      messageCount: 0,
    });
    const participants = await db().dataSource.getRepository(ConversationParticipant).findBy({ conversationId: id });
    expect(participants).toEqual([{ conversationId: id, userId: e.metadata.user_id }]);
  });

  it('projects conversation_forwarded: the -06:00 updated_at becomes the same instant in UTC', async () => {
    const e = f('conversation_forwarded');
    expect(String(e.body.updated_at)).toMatch(/-06:00$/);
    const id = widen(e.body.conversation_id, e);
    expect(await rowOrFail(db(), Conversation, { id })).toEqual({
      id,
      startedById: null,
      createdAt: null,
      updatedAt: at(e.body.updated_at),
      createdVersion: null,
      courseId: null,
      courseVersion: null,
      lastMessageAt: null,
      lastActivityAt: null,
      messageCount: 0,
    });
  });

  it('projects conversation_message_created with local message, conversation and author ids made global', async () => {
    const e = f('conversation_message_created');
    const b = e.body;
    const id = widen(b.message_id, e);
    const conversationId = widen(b.conversation_id, e);
    expect(await rowOrFail(db(), ConversationMessage, { id })).toEqual({
      changedSeq: expect.any(String), // exports: the log sequence of the last change
      id,
      conversationId,
      authorId: widen(b.author_id, e),
      createdAt: at(b.created_at),
      stateVersion: expect.any(String),
    });
    expect(await row(db(), Conversation, { id: conversationId })).toMatchObject({
      lastMessageAt: at(b.created_at),
      lastActivityAt: at(b.created_at),
      messageCount: 1,
    });
    const participants = await db().dataSource.getRepository(ConversationParticipant).findBy({ conversationId });
    expect(participants).toEqual([{ conversationId, userId: widen(b.author_id, e) }]);
  });

  it('projects nothing under a local id when the global one is known', async () => {
    const local = (e: CanvasEvent, field: string) => String(e.body[field]);
    expect(
      await row(db(), SubmissionComment, { id: local(f('submission_comment_created'), 'submission_comment_id') }),
    ).toBeNull();
    expect(
      await row(db(), ConversationMessage, { id: local(f('conversation_message_created'), 'message_id') }),
    ).toBeNull();
    expect(await row(db(), Conversation, { id: local(f('conversation_created'), 'conversation_id') })).toBeNull();
  });
});
