// GET /export/submissions.ndjson|.csv and comments.ndjson|.csv.
import { columnsOf, declareExport } from '../../export/declaration';
import { applyCommentFilter, checkCommentFilter } from './submission-comment.args';
import { applySubmissionFilter, checkSubmissionFilter } from './submission.args';
import { SubmissionComment } from './submission-comment.entity';
import { Submission } from './submission.entity';

export const submissionsExport = declareExport<Submission>({
  name: 'submissions',
  entity: Submission,
  changedBy: 'changedSeq',
  params: {
    courseId: 'id',
    assignmentId: 'id',
    userId: 'id',
    workflowStates: 'strings',
    late: 'boolean',
    missing: 'boolean',
    submittedSince: 'time',
    submittedBefore: 'time',
    updatedSince: 'time',
  },
  filter: (qb, p) => applySubmissionFilter(qb, checkSubmissionFilter(p as never)),
  columns: columnsOf<Submission>({
    id: 'id',
    assignmentId: 'id',
    userId: 'id',
    courseId: 'id',
    attempt: 'number',
    body: 'text',
    grade: 'text',
    score: 'number',
    late: 'boolean',
    missing: 'boolean',
    groupId: 'id',
    ltiAssignmentId: 'text',
    ltiUserId: 'text',
    submissionType: 'text',
    url: 'text',
    workflowState: 'text',
    submittedAt: 'time',
    gradedAt: 'time',
    updatedAt: 'time',
  }),
});

export const commentsExport = declareExport<SubmissionComment>({
  name: 'comments',
  entity: SubmissionComment,
  changedBy: 'changedSeq',
  params: {
    courseId: 'id',
    submissionId: 'id',
    assignmentId: 'id',
    authorId: 'id',
    createdSince: 'time',
    createdBefore: 'time',
  },
  filter: (qb, p) => applyCommentFilter(qb, checkCommentFilter(p as never)),
  columns: [
    ...columnsOf<SubmissionComment>({ id: 'id', submissionId: 'id', authorId: 'id', body: 'text' }),
    { name: 'attachmentIds', kind: 'list', value: (c) => JSON.parse(c.attachmentIds) as string[] },
    ...columnsOf<SubmissionComment>({ createdAt: 'time' }),
  ],
});
