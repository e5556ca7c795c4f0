// Arguments of the comment lists (Query.comments, Course.comments): the filter, the
// order, and how both become SQL.
import { ArgsType, Field, ID, InputType, registerEnumType } from 'type-graphql';
import { SelectQueryBuilder } from 'typeorm';
import { optionalIdArgument } from '../../graphql/arguments';
import { ListOrder, OrderDirection, PageArgs, SortField } from '../../graphql/pagination';
import { SubmissionComment } from './submission-comment.entity';

export enum CommentOrderField {
  ID = 'ID',
  CREATED_AT = 'CREATED_AT',
}

registerEnumType(CommentOrderField, {
  name: 'CommentOrderField',
  description: 'What a list of comments can be sorted by. Ties are broken by id, in the same direction.',
  valuesConfig: {
    ID: { description: 'Comment id (numeric): Canvas ids grow with time, so this is creation order.' },
    CREATED_AT: { description: 'When the comment was made (body.created_at); unknown counts as earliest.' },
  },
});

@InputType('CommentFilter', { description: 'Narrows a list of submission comments; every condition given must hold.' })
export class CommentFilter {
  @Field(() => ID, {
    nullable: true,
    description: "Only comments on submissions of this course (the submission's courseId, global id).",
  })
  courseId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only comments on this submission (global id).' })
  submissionId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "Only comments on submissions to this assignment (the submission's assignmentId, global id).",
  })
  assignmentId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only comments written by this user (global id).' })
  authorId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Only comments made at or after this instant (createdAt).' })
  createdSince?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only comments made before this instant (createdAt).' })
  createdBefore?: Date | null;
}

@InputType('CommentOrder', { description: 'The order of a list of comments.' })
export class CommentOrder {
  @Field(() => CommentOrderField, { description: 'What to sort by.' })
  field: CommentOrderField;

  @Field(() => OrderDirection, { description: 'Ascending or descending.' })
  direction: OrderDirection;
}

@ArgsType()
export class CommentsArgs extends PageArgs {
  @Field(() => CommentFilter, { nullable: true, description: 'Which comments to list; all when omitted.' })
  filter?: CommentFilter | null;

  @Field(() => CommentOrder, { nullable: true, description: 'Sort order; ascending id when omitted.' })
  orderBy?: CommentOrder | null;
}

/** A filter with its ids checked: the form loaders and queries use (and batch keys compare). */
export interface CheckedCommentFilter {
  courseId?: string;
  submissionId?: string;
  assignmentId?: string;
  authorId?: string;
  createdSince?: Date;
  createdBefore?: Date;
}

export function checkCommentFilter(filter: CommentFilter | null | undefined): CheckedCommentFilter {
  if (!filter) return {};
  const checked: CheckedCommentFilter = {
    courseId: optionalIdArgument(filter.courseId, 'filter.courseId'),
    submissionId: optionalIdArgument(filter.submissionId, 'filter.submissionId'),
    assignmentId: optionalIdArgument(filter.assignmentId, 'filter.assignmentId'),
    authorId: optionalIdArgument(filter.authorId, 'filter.authorId'),
    createdSince: filter.createdSince ?? undefined,
    createdBefore: filter.createdBefore ?? undefined,
  };
  return Object.fromEntries(Object.entries(checked).filter(([, v]) => v !== undefined));
}

export function applyCommentFilter(qb: SelectQueryBuilder<SubmissionComment>, f: CheckedCommentFilter): void {
  const a = qb.alias;
  // A comment's course and assignment are its submission's: read through the submission
  // (idx_submissions_course / idx_submissions_assignment, then the comments of those
  // submissions by idx_submission_comments_submission), not copied onto the comment,
  // since the submission may learn them after its comments arrived.
  if (f.courseId) {
    qb.andWhere(`${a}.submissionId IN (SELECT s.id FROM submissions s WHERE s.course_id = :kCourseId)`, {
      kCourseId: BigInt(f.courseId),
    });
  }
  if (f.assignmentId) {
    qb.andWhere(`${a}.submissionId IN (SELECT s.id FROM submissions s WHERE s.assignment_id = :kAssignmentId)`, {
      kAssignmentId: BigInt(f.assignmentId),
    });
  }
  if (f.submissionId) qb.andWhere(`${a}.submissionId = :kSubmissionId`, { kSubmissionId: BigInt(f.submissionId) });
  if (f.authorId) qb.andWhere(`${a}.authorId = :kAuthorId`, { kAuthorId: BigInt(f.authorId) });
  if (f.createdSince) qb.andWhere(`${a}.createdAt >= :kCreatedSince`, { kCreatedSince: f.createdSince });
  if (f.createdBefore) qb.andWhere(`${a}.createdAt < :kCreatedBefore`, { kCreatedBefore: f.createdBefore });
}

const SORT_FIELDS: Record<CommentOrderField, SortField | null> = {
  ID: null,
  CREATED_AT: { property: 'createdAt', kind: 'time' },
};

/** The order of Query.comments and Course.comments (one scope: a course's comments are a filtered list of all). */
export function commentOrder(order: CommentOrder | null | undefined): ListOrder {
  const field = order?.field ?? CommentOrderField.ID;
  const direction = order?.direction ?? OrderDirection.ASC;
  return { scope: `comments:${field}:${direction}`, field: SORT_FIELDS[field], direction };
}

/**
 * The filter applied to one comment in memory (live updates: commentAdded), meaning what
 * applyCommentFilter means in SQL; the course and assignment are the submission's, read
 * only when the filter names them. One entry per filter field, so a new field does not
 * compile until it says how it matches.
 */
const COMMENT_MATCHERS: {
  [K in keyof Required<CheckedCommentFilter>]: (
    comment: SubmissionComment,
    bound: Required<CheckedCommentFilter>[K],
    submission: () => Promise<{ courseId: string | null; assignmentId: string | null } | null>,
  ) => boolean | Promise<boolean>;
} = {
  courseId: async (_comment, id, submission) => (await submission())?.courseId === id,
  assignmentId: async (_comment, id, submission) => (await submission())?.assignmentId === id,
  submissionId: (comment, id) => comment.submissionId === id,
  authorId: (comment, id) => comment.authorId === id,
  createdSince: (comment, bound) => comment.createdAt !== null && comment.createdAt.getTime() >= bound.getTime(),
  createdBefore: (comment, bound) => comment.createdAt !== null && comment.createdAt.getTime() < bound.getTime(),
};

export async function matchesCommentFilter(
  comment: SubmissionComment,
  f: CheckedCommentFilter,
  submission: () => Promise<{ courseId: string | null; assignmentId: string | null } | null>,
): Promise<boolean> {
  for (const key of Object.keys(f) as Array<keyof CheckedCommentFilter>) {
    const matcher = COMMENT_MATCHERS[key] as (c: SubmissionComment, b: unknown, s: typeof submission) => unknown;
    if (!(await matcher(comment, f[key], submission))) return false;
  }
  return true;
}
