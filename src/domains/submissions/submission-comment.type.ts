// The SubmissionComment type: a comment on a submission (submission_comment_created).
import { Field, ID, ObjectType } from 'type-graphql';
import { connectionType } from '../../graphql/pagination';

@ObjectType('SubmissionComment', {
  description: 'A comment left on a submission by a teacher or student, from submission_comment_created events.',
  simpleResolvers: true,
})
export class SubmissionCommentType {
  @Field(() => ID, { description: 'Global Canvas id of the comment (body.submission_comment_id, widened to global).' })
  id: string;

  @Field(() => ID, { description: 'Global id of the submission commented on (body.submission_id, widened to global).' })
  submissionId: string;

  @Field(() => ID, {
    nullable: true,
    description: "Global id of the comment's author (body.user_id, widened to global).",
  })
  authorId: string | null;

  @Field(() => String, { nullable: true, description: 'Text of the comment (body.body).' })
  body: string | null;

  @Field(() => Date, { nullable: true, description: 'When the comment was made (body.created_at).' })
  createdAt: Date | null;
}

export const SubmissionCommentConnection = connectionType(
  SubmissionCommentType,
  'SubmissionComment',
  'submission comments',
);
