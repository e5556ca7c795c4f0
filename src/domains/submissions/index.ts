import type { DomainModule } from '../domain-module';
import { SubmissionComment } from './submission-comment.entity';
import { submissionCommentProjector } from './submission-comment.projector';
import { SubmissionVersion } from './submission-version.entity';
import { Submission } from './submission.entity';
import { submissionProjector } from './submission.projector';

export const submissionsModule: DomainModule = {
  name: 'submissions',
  entities: [Submission, SubmissionVersion, SubmissionComment],
  projectors: [submissionProjector, submissionCommentProjector],
};
