import type { DomainModule } from '../../projection/domain-module';
import { CourseSubmissionsResolver } from './course-submissions.resolver';
import { SubmissionCommentResolver } from './submission-comment.resolver';
import { SubmissionResolver } from './submission.resolver';
import { SubmissionComment } from './submission-comment.entity';
import { submissionCommentProjector } from './submission-comment.projector';
import { SubmissionVersion } from './submission-version.entity';
import { Submission } from './submission.entity';
import { submissionProjector } from './submission.projector';

export const submissionsModule: DomainModule = {
  name: 'submissions',
  entities: [Submission, SubmissionVersion, SubmissionComment],
  keyedEntities: [Submission, SubmissionVersion, SubmissionComment],
  projectors: [submissionProjector, submissionCommentProjector],
  resolvers: [SubmissionResolver, SubmissionCommentResolver, CourseSubmissionsResolver],
};
