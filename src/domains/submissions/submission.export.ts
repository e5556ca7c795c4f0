// GET /export/submissions.ndjson|.csv and comments.ndjson|.csv.
import type { SelectQueryBuilder } from 'typeorm';
import { columnsOf, declareExport, ExportParams } from '../../export/declaration';
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

// The contract's CommentFilter has no GraphQL home yet: its fields as SQL, here.
function applyCommentFilter(qb: SelectQueryBuilder<SubmissionComment>, p: ExportParams): void {
  const a = qb.alias;
  if (p.submissionId)
    qb.andWhere(`${a}.submissionId = :cSubmissionId`, { cSubmissionId: BigInt(p.submissionId as string) });
  if (p.authorId) qb.andWhere(`${a}.authorId = :cAuthorId`, { cAuthorId: BigInt(p.authorId as string) });
  if (p.courseId || p.assignmentId) {
    const of = qb.subQuery().select('s.id').from(Submission, 's');
    if (p.courseId) of.andWhere('s.courseId = :cCourseId', { cCourseId: BigInt(p.courseId as string) });
    if (p.assignmentId)
      of.andWhere('s.assignmentId = :cAssignmentId', { cAssignmentId: BigInt(p.assignmentId as string) });
    qb.andWhere(`${a}.submissionId IN ${of.getQuery()}`, of.getParameters());
  }
  if (p.createdSince) qb.andWhere(`${a}.createdAt >= :cCreatedSince`, { cCreatedSince: p.createdSince });
  if (p.createdBefore) qb.andWhere(`${a}.createdAt < :cCreatedBefore`, { cCreatedBefore: p.createdBefore });
}

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
  filter: applyCommentFilter,
  columns: [
    ...columnsOf<SubmissionComment>({ id: 'id', submissionId: 'id', authorId: 'id', body: 'text' }),
    { name: 'attachmentIds', kind: 'list', value: (c) => JSON.parse(c.attachmentIds) as string[] },
    ...columnsOf<SubmissionComment>({ createdAt: 'time' }),
  ],
});
