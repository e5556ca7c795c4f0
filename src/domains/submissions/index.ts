// Submissions: submissions with their history and comments, and what other domains may
// use of them (the connection type, arguments and loaders of a course's submissions).
import type { DomainModule } from '../../projection/domain-module';
import { SubmissionCommentResolver } from './submission-comment.resolver';
import { SubmissionResolver } from './submission.resolver';
import { SubmissionComment } from './submission-comment.entity';
import { submissionCommentProjector } from './submission-comment.projector';
import { SubmissionVersion } from './submission-version.entity';
import { Submission } from './submission.entity';
import { SUBMISSIONS_DOMAIN, submissionProjector } from './submission.projector';
import { caliperSubmissionProjector } from './submission.caliper';

export { recordSubmission } from './submission.projector';
export { Submission } from './submission.entity';

export { checkSubmissionFilter, SubmissionFilter, submissionOrder, SubmissionsArgs } from './submission.args';
export type { CheckedSubmissionFilter } from './submission.args';
export { checkCommentFilter, CommentFilter, commentOrder, CommentsArgs } from './submission-comment.args';
export { SubmissionCommentConnection } from './submission-comment.type';
export { submissionLoaders } from './submission.loaders';
export { SubmissionConnection, SubmissionType } from './submission.type';

export const submissionsModule: DomainModule = {
  name: SUBMISSIONS_DOMAIN,
  entities: [
    { entity: Submission, keyed: true },
    { entity: SubmissionVersion, keyed: true },
    { entity: SubmissionComment, keyed: true },
  ],
  projectors: [submissionProjector, caliperSubmissionProjector, submissionCommentProjector],
  resolvers: [SubmissionResolver, SubmissionCommentResolver],
};
export { commentsExport, submissionsExport } from './submission.export';
