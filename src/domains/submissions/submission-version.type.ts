// The SubmissionVersion type: one state of a submission, as one event described it.
import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType('SubmissionVersion', {
  description:
    'One state a submission was seen in: what a single submission_created / submission_updated event said. ' +
    'Events that arrive late still appear here, in the order of their own clock.',
  simpleResolvers: true,
})
export class SubmissionVersionType {
  @Field(() => String, { description: 'The event that carried this state: submission_created or submission_updated.' })
  eventName: string;

  @Field(() => Date, { description: "The event's metadata.event_time." })
  eventTime: Date;

  @Field(() => Int, { nullable: true, description: 'Attempt number in this state (body.attempt).' })
  attempt: number | null;

  @Field(() => String, { nullable: true, description: 'Grade in this state (body.grade).' })
  grade: string | null;

  @Field(() => Float, { nullable: true, description: 'Score in this state (body.score).' })
  score: number | null;

  @Field(() => String, { nullable: true, description: 'Workflow state in this state (body.workflow_state).' })
  workflowState: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Late flag in this state (body.late).' })
  late: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Missing flag in this state (body.missing).' })
  missing: boolean | null;

  @Field(() => Date, { nullable: true, description: 'Submission time in this state (body.submitted_at).' })
  submittedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'Grading time in this state (body.graded_at).' })
  gradedAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: "The event's body.updated_at: the clock history is ordered by (event time when absent).",
  })
  updatedAt: Date | null;
}
