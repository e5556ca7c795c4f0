// The Submission type of the API: a student's submission to an assignment, in its latest
// state by its own clock (body.updated_at) over submission_created / _updated events.
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { connectionType } from '../../graphql/pagination';

@ObjectType('Submission', {
  description:
    "A student's (or group's) submission to a Canvas assignment, in the latest state its submission_created / " +
    'submission_updated events describe. A comment can make it known before those events arrive; then only its ' +
    'id and course are set.',
  simpleResolvers: true,
})
export class SubmissionType {
  @Field(() => ID, { description: 'Global Canvas id of the submission (body.submission_id).' })
  id: string;

  @Field(() => ID, { nullable: true, description: 'Global id of the assignment submitted to (body.assignment_id).' })
  assignmentId: string | null;

  @Field(() => ID, { nullable: true, description: 'Global id of the student who submitted (body.user_id).' })
  userId: string | null;

  @Field(() => Int, { nullable: true, description: 'Which attempt this is, counting from 1 (body.attempt).' })
  attempt: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Text of the submission, for text entries and quizzes (body.body); Canvas truncates it at 8192 characters.',
  })
  body: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The grade as Canvas shows it: a letter, points, complete/incomplete... (body.grade).',
  })
  grade: string | null;

  @Field(() => Float, { nullable: true, description: 'Points awarded (body.score).' })
  score: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether Canvas counts the submission as late (body.late).' })
  late: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Whether Canvas counts the submission as missing (body.missing).',
  })
  missing: boolean | null;

  @Field(() => ID, { nullable: true, description: 'Global id of the group, for group assignments (body.group_id).' })
  groupId: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The assignment's id as LTI tools know it (body.lti_assignment_id).",
  })
  ltiAssignmentId: string | null;

  @Field(() => String, { nullable: true, description: "The student's id as LTI tools know it (body.lti_user_id)." })
  ltiUserId: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'How it was submitted, e.g. online_text_entry, online_upload, online_quiz (body.submission_type).',
  })
  submissionType: string | null;

  @Field(() => String, { nullable: true, description: 'The URL submitted, for online_url submissions (body.url).' })
  url: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Canvas workflow state: submitted, unsubmitted, graded, pending_review (body.workflow_state).',
  })
  workflowState: string | null;

  @Field(() => Date, { nullable: true, description: 'When the student submitted (body.submitted_at).' })
  submittedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was last graded (body.graded_at).' })
  gradedAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When Canvas last changed it (body.updated_at): the clock its latest state is chosen by.',
  })
  updatedAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When its grade was posted to the student (body.posted_at, sent by current Canvas): the value of the newest ' +
      'event that carried the field; an event without it (older Canvas) leaves it as it was.',
  })
  postedAt: Date | null;
}

export const SubmissionConnection = connectionType(SubmissionType, 'Submission', 'submissions');
