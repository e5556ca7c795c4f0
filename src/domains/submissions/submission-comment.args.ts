// Arguments that select submission comments across submissions: the CommentFilter of the
// contract (commentStats here; the comment lists take the same input).
import { Field, ID, InputType } from 'type-graphql';

@InputType('CommentFilter', { description: 'Narrows a set of submission comments; every condition given must hold.' })
export class CommentFilter {
  @Field(() => ID, { nullable: true, description: 'Only comments on submissions of this course (global id).' })
  courseId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only comments on this submission (global id).' })
  submissionId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only comments on submissions to this assignment (global id).' })
  assignmentId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only comments written by this user (global id).' })
  authorId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Only comments created at or after this instant.' })
  createdSince?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only comments created before this instant.' })
  createdBefore?: Date | null;
}
