// Per-request loaders for submissions and what hangs off them: by id, a page (and count)
// per course and per assignment, comments by id, per submission and per course, history per
// submission. Everything fetched as a page is primed into byId, so a comment's `submission`
// costs no further statement.
import type { DataSource } from 'typeorm';
import { perParentCountLoader, perParentPageLoader, PerParentList } from '../../graphql/pagination';
import { byIdLoader, childrenLoader, prime } from '../../graphql/context';
import { applySubmissionFilter, CheckedSubmissionFilter } from './submission.args';
import { applyCommentFilter, CheckedCommentFilter } from './submission-comment.args';
import { SubmissionComment } from './submission-comment.entity';
import { SubmissionVersion } from './submission-version.entity';
import { Submission } from './submission.entity';

export function submissionLoaders(dataSource: DataSource) {
  const byId = byIdLoader(dataSource, Submission);
  const perCourse: PerParentList<Submission, CheckedSubmissionFilter> = {
    dataSource,
    entity: Submission,
    parentProperty: 'courseId',
    applyFilter: applySubmissionFilter,
  };
  const countByCourse = perParentCountLoader(perCourse);
  const pageByCourse = perParentPageLoader(perCourse, countByCourse, (rows) => prime(byId, rows));
  const perAssignment: PerParentList<Submission, CheckedSubmissionFilter> = {
    ...perCourse,
    parentProperty: 'assignmentId',
  };
  const countByAssignment = perParentCountLoader(perAssignment);
  const pageByAssignment = perParentPageLoader(perAssignment, countByAssignment, (rows) => prime(byId, rows));

  const perSubmission: PerParentList<SubmissionComment, null> = {
    dataSource,
    entity: SubmissionComment,
    parentProperty: 'submissionId',
  };
  const commentCount = perParentCountLoader(perSubmission);
  const commentById = byIdLoader(dataSource, SubmissionComment);
  const commentPage = perParentPageLoader(perSubmission, commentCount, (rows) => prime(commentById, rows));

  // A course's comments: those on its submissions, the course read from the submission.
  const commentsPerCourse: PerParentList<SubmissionComment, CheckedCommentFilter> = {
    dataSource,
    entity: SubmissionComment,
    parentJoin: {
      join: (qb) => qb.innerJoin(Submission, 'p', 'p.id = n.submissionId'),
      idColumn: 'p.courseId',
    },
    applyFilter: applyCommentFilter,
  };
  const commentCountByCourse = perParentCountLoader(commentsPerCourse);
  const commentPageByCourse = perParentPageLoader(commentsPerCourse, commentCountByCourse);

  // History is short (one row per event) and has no pagination in the contract.
  const history = childrenLoader(dataSource, SubmissionVersion, 'submissionId', ['clock', 'eventId']);
  return {
    byId,
    countByCourse,
    pageByCourse,
    countByAssignment,
    pageByAssignment,
    commentById,
    commentCount,
    commentPage,
    commentCountByCourse,
    commentPageByCourse,
    history,
  };
}
