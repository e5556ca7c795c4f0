// Arguments of the submission lists: the filter, the order, and how both become SQL.
import { ArgsType, Field, Float, ID, InputType, registerEnumType } from 'type-graphql';
import { SelectQueryBuilder } from 'typeorm';
import { BadInputError } from '../../errors';
import { listArgument, optionalIdArgument } from '../../graphql/arguments';
import { ListOrder, OrderDirection, PageArgs, SortField } from '../../graphql/pagination';
import { Submission } from './submission.entity';

export enum SubmissionOrderField {
  ID = 'ID',
  SUBMITTED_AT = 'SUBMITTED_AT',
  UPDATED_AT = 'UPDATED_AT',
  SCORE = 'SCORE',
}

registerEnumType(SubmissionOrderField, {
  name: 'SubmissionOrderField',
  description: 'What a list of submissions can be sorted by. Ties are broken by id, in the same direction.',
  valuesConfig: {
    ID: { description: 'Submission id (numeric).' },
    SUBMITTED_AT: { description: 'When the student submitted; never-submitted ones count as earliest.' },
    UPDATED_AT: { description: 'When Canvas last changed the submission; unknown counts as earliest.' },
    SCORE: { description: 'Points awarded; ungraded ones count as lowest.' },
  },
});

@InputType('SubmissionFilter', { description: 'Narrows a list of submissions; every condition given must hold.' })
export class SubmissionFilter {
  @Field(() => ID, { nullable: true, description: 'Only submissions made in this course (global id).' })
  courseId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only submissions to this assignment (global id).' })
  assignmentId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only submissions of this student (global id).' })
  userId?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Only submissions in one of these workflow states (e.g. submitted, graded).',
  })
  workflowStates?: string[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Only submissions whose late flag is this value (unknown matches neither).',
  })
  late?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Only submissions whose missing flag is this value (unknown matches neither).',
  })
  missing?: boolean | null;

  @Field(() => Date, { nullable: true, description: 'Only submissions submitted at or after this instant.' })
  submittedSince?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only submissions submitted before this instant.' })
  submittedBefore?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Only submissions Canvas changed at or after this instant (updatedAt).',
  })
  updatedSince?: Date | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Only submissions whose score is at least this (ungraded: never).',
  })
  scoreAtLeast?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Only submissions whose score is at most this (ungraded: never).',
  })
  scoreAtMost?: number | null;

  @Field(() => Date, { nullable: true, description: 'Only submissions graded at or after this instant (gradedAt).' })
  gradedSince?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only submissions graded before this instant (gradedAt).' })
  gradedBefore?: Date | null;
}

@InputType('SubmissionOrder', { description: 'The order of a list of submissions.' })
export class SubmissionOrder {
  @Field(() => SubmissionOrderField, { description: 'What to sort by.' })
  field: SubmissionOrderField;

  @Field(() => OrderDirection, { description: 'Ascending or descending.' })
  direction: OrderDirection;
}

@ArgsType()
export class SubmissionsArgs extends PageArgs {
  @Field(() => SubmissionFilter, { nullable: true, description: 'Which submissions to list; all when omitted.' })
  filter?: SubmissionFilter | null;

  @Field(() => SubmissionOrder, { nullable: true, description: 'Sort order; ascending id when omitted.' })
  orderBy?: SubmissionOrder | null;
}

/** A filter with its ids checked: the form loaders and queries use (and batch keys compare). */
export interface CheckedSubmissionFilter {
  courseId?: string;
  assignmentId?: string;
  userId?: string;
  workflowStates?: string[];
  late?: boolean;
  missing?: boolean;
  submittedSince?: Date;
  submittedBefore?: Date;
  updatedSince?: Date;
  scoreAtLeast?: number;
  scoreAtMost?: number;
  gradedSince?: Date;
  gradedBefore?: Date;
}

/**
 * A score bound as a finite number. GraphQL's Float refuses NaN and the infinities, but
 * callers outside GraphQL (query parameters) may pass them, and no comparison with them
 * means the same on both databases.
 */
function scoreArgument(value: number | null | undefined, path: string): number | undefined {
  if (value == null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new BadInputError(`must be a finite number, got ${String(value).slice(0, 40)}`, path);
  }
  // -0 and 0 are one score; a bound written either way compares the same on both databases.
  return value === 0 ? 0 : value;
}

export function checkSubmissionFilter(filter: SubmissionFilter | null | undefined): CheckedSubmissionFilter {
  if (!filter) return {};
  const checked: CheckedSubmissionFilter = {
    courseId: optionalIdArgument(filter.courseId, 'filter.courseId'),
    assignmentId: optionalIdArgument(filter.assignmentId, 'filter.assignmentId'),
    userId: optionalIdArgument(filter.userId, 'filter.userId'),
    workflowStates: listArgument(filter.workflowStates, 'filter.workflowStates'),
    late: filter.late ?? undefined,
    missing: filter.missing ?? undefined,
    submittedSince: filter.submittedSince ?? undefined,
    submittedBefore: filter.submittedBefore ?? undefined,
    updatedSince: filter.updatedSince ?? undefined,
    scoreAtLeast: scoreArgument(filter.scoreAtLeast, 'filter.scoreAtLeast'),
    scoreAtMost: scoreArgument(filter.scoreAtMost, 'filter.scoreAtMost'),
    gradedSince: filter.gradedSince ?? undefined,
    gradedBefore: filter.gradedBefore ?? undefined,
  };
  return Object.fromEntries(Object.entries(checked).filter(([, v]) => v !== undefined));
}

export function applySubmissionFilter(qb: SelectQueryBuilder<Submission>, f: CheckedSubmissionFilter): void {
  const a = qb.alias;
  if (f.courseId) qb.andWhere(`${a}.courseId = :sCourseId`, { sCourseId: BigInt(f.courseId) });
  if (f.assignmentId) qb.andWhere(`${a}.assignmentId = :sAssignmentId`, { sAssignmentId: BigInt(f.assignmentId) });
  if (f.userId) qb.andWhere(`${a}.userId = :sUserId`, { sUserId: BigInt(f.userId) });
  if (f.workflowStates) {
    qb.andWhere(f.workflowStates.length ? `${a}.workflowState IN (:...sStates)` : '1 = 0', {
      sStates: f.workflowStates,
    });
  }
  if (f.late !== undefined) qb.andWhere(`${a}.late = :sLate`, { sLate: f.late });
  if (f.missing !== undefined) qb.andWhere(`${a}.missing = :sMissing`, { sMissing: f.missing });
  if (f.submittedSince) qb.andWhere(`${a}.submittedAt >= :sSubmittedSince`, { sSubmittedSince: f.submittedSince });
  if (f.submittedBefore) qb.andWhere(`${a}.submittedAt < :sSubmittedBefore`, { sSubmittedBefore: f.submittedBefore });
  if (f.updatedSince) qb.andWhere(`${a}.updatedAt >= :sUpdatedSince`, { sUpdatedSince: f.updatedSince });
  // score is a DOUBLE on both databases and the bound is sent as a double (SQLite binds a
  // JS number as REAL; on MySQL a DOUBLE compared with a number literal is compared as
  // doubles), so 0.1 + 0.2 stored is above a bound of 0.3 on both; a NULL score matches no bound.
  if (f.scoreAtLeast !== undefined) qb.andWhere(`${a}.score >= :sScoreAtLeast`, { sScoreAtLeast: f.scoreAtLeast });
  if (f.scoreAtMost !== undefined) qb.andWhere(`${a}.score <= :sScoreAtMost`, { sScoreAtMost: f.scoreAtMost });
  if (f.gradedSince) qb.andWhere(`${a}.gradedAt >= :sGradedSince`, { sGradedSince: f.gradedSince });
  if (f.gradedBefore) qb.andWhere(`${a}.gradedAt < :sGradedBefore`, { sGradedBefore: f.gradedBefore });
}

const SORT_FIELDS: Record<SubmissionOrderField, SortField | null> = {
  ID: null,
  SUBMITTED_AT: { property: 'submittedAt', kind: 'time' },
  UPDATED_AT: { property: 'updatedAt', kind: 'time' },
  SCORE: { property: 'score', kind: 'number' },
};

export function submissionOrder(order: SubmissionOrder | null | undefined): ListOrder {
  const field = order?.field ?? SubmissionOrderField.ID;
  const direction = order?.direction ?? OrderDirection.ASC;
  return { scope: `submissions:${field}:${direction}`, field: SORT_FIELDS[field], direction };
}

/** Whether an instant is known and at or after (since) / before `bound`, as the SQL above compares. */
const atOrAfter = (value: Date | null, bound: Date) => value !== null && value.getTime() >= bound.getTime();
const before = (value: Date | null, bound: Date) => value !== null && value.getTime() < bound.getTime();

/**
 * The filter applied to one row in memory (live updates: submissionChanged), meaning what
 * applySubmissionFilter means in SQL: an unknown value matches no condition on it. One
 * entry per filter field, so a new field does not compile until it says how it matches.
 */
const SUBMISSION_MATCHERS: {
  [K in keyof Required<CheckedSubmissionFilter>]: (
    row: Submission,
    bound: Required<CheckedSubmissionFilter>[K],
  ) => boolean;
} = {
  courseId: (row, id) => row.courseId === id,
  assignmentId: (row, id) => row.assignmentId === id,
  userId: (row, id) => row.userId === id,
  workflowStates: (row, states) => row.workflowState !== null && states.includes(row.workflowState),
  late: (row, late) => row.late === late,
  missing: (row, missing) => row.missing === missing,
  submittedSince: (row, bound) => atOrAfter(row.submittedAt, bound),
  submittedBefore: (row, bound) => before(row.submittedAt, bound),
  updatedSince: (row, bound) => atOrAfter(row.updatedAt, bound),
  scoreAtLeast: (row, bound) => row.score !== null && row.score >= bound,
  scoreAtMost: (row, bound) => row.score !== null && row.score <= bound,
  gradedSince: (row, bound) => atOrAfter(row.gradedAt, bound),
  gradedBefore: (row, bound) => before(row.gradedAt, bound),
};

export function matchesSubmissionFilter(row: Submission, f: CheckedSubmissionFilter): boolean {
  return (Object.keys(f) as Array<keyof CheckedSubmissionFilter>).every((key) =>
    (SUBMISSION_MATCHERS[key] as (row: Submission, bound: unknown) => boolean)(row, f[key]),
  );
}
