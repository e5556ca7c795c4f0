// The Assignment type of the API: a Canvas assignment, field by field the newest value
// its assignment_created / _updated events carried. Its lists and relations are resolved
// in assignment.resolver.ts.
import { Field, Float, ID, ObjectType } from 'type-graphql';
import { connectionType } from '../../graphql/pagination';

@ObjectType('Assignment', {
  description:
    'An assignment, from assignment_created / assignment_updated, or known only by id (and course) from its submissions.',
  simpleResolvers: true,
})
export class AssignmentType {
  @Field(() => ID, { description: 'Global Canvas id of the assignment (body.assignment_id).' })
  id: string;

  @Field(() => ID, {
    nullable: true,
    description: "Global id of its course (body.context_id, else the event's course; else a submission's course).",
  })
  courseId: string | null;

  @Field(() => String, { nullable: true, description: 'Title (body.title).' })
  title: string | null;

  @Field(() => String, { nullable: true, description: 'Description, as Canvas sends it: HTML (body.description).' })
  description: string | null;

  @Field(() => Date, { nullable: true, description: 'When it is due (body.due_at).' })
  dueAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it opens for submissions (body.unlock_at).' })
  unlockAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it closes for submissions (body.lock_at).' })
  lockAt: Date | null;

  @Field(() => Float, { nullable: true, description: 'Points possible (body.points_possible).' })
  pointsPossible: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Canvas workflow state: published, unpublished, deleted, ... (body.workflow_state).',
  })
  workflowState: string | null;

  @Field(() => Date, {
    nullable: true,
    description:
      "When Canvas created it: body.created_at, else the time of its assignment_created (Canvas's payload has no created_at).",
  })
  createdAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When Canvas last changed it (body.updated_at, else the event time): the clock its state is chosen by.',
  })
  updatedAt: Date | null;
}

export const AssignmentConnection = connectionType(AssignmentType, 'Assignment', 'assignments');
