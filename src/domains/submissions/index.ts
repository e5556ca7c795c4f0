// Submissions: submissions with their history and comments, and what other domains may
// use of them (the connection type, arguments and loaders of a course's submissions).
import type { DomainModule } from '../../projection/domain-module';
import { SubmissionCommentResolver } from './submission-comment.resolver';
import { SubmissionResolver } from './submission.resolver';
import { SubmissionComment } from './submission-comment.entity';
import { submissionCommentProjector } from './submission-comment.projector';
import { SubmissionVersion } from './submission-version.entity';
import { Submission } from './submission.entity';
import { submissionProjector } from './submission.projector';

export { checkSubmissionFilter, submissionOrder, SubmissionsArgs } from './submission.args';
export { submissionLoaders } from './submission.loaders';
export { SubmissionConnection, SubmissionType } from './submission.type';

export const submissionsModule: DomainModule = {
  name: 'submissions',
  entities: [Submission, SubmissionVersion, SubmissionComment],
  keyedEntities: [Submission, SubmissionVersion, SubmissionComment],
  projectors: [submissionProjector, submissionCommentProjector],
  resolvers: [SubmissionResolver, SubmissionCommentResolver],
};
