// Per-request loaders for submissions and what hangs off them: by id, a page (and count)
// per course, comments by id and per submission, history per submission. Everything fetched as a
// page is primed into byId, so a comment's `submission` costs no further statement.
import type { DataSource } from 'typeorm';
import { perParentCountLoader, perParentPageLoader, PerParentList } from '../../graphql/pagination';
import { byIdLoader, childrenLoader, prime } from '../../graphql/context';
import { applySubmissionFilter, CheckedSubmissionFilter } from './submission.args';
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

  const perSubmission: PerParentList<SubmissionComment, null> = {
    dataSource,
    entity: SubmissionComment,
    parentProperty: 'submissionId',
  };
  const commentCount = perParentCountLoader(perSubmission);
  const commentById = byIdLoader(dataSource, SubmissionComment);
  const commentPage = perParentPageLoader(perSubmission, commentCount, (rows) => prime(commentById, rows));

  // History is short (one row per event) and has no pagination in the contract.
  const history = childrenLoader(dataSource, SubmissionVersion, 'submissionId', ['clock', 'eventId']);
  return { byId, countByCourse, pageByCourse, commentById, commentCount, commentPage, history };
}
