// Arguments of the enrollment lists: the filter, and how it becomes SQL. Enrollments run
// in ascending id order (Canvas ids grow with time: oldest enrollment first).
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { SelectQueryBuilder } from 'typeorm';
import { listArgument, optionalIdArgument } from '../../graphql/arguments';
import { ListOrder, PageArgs } from '../../graphql/pagination';
import { Enrollment } from './enrollment.entity';

@InputType('EnrollmentFilter', { description: 'Narrows a list of enrollments; every condition given must hold.' })
export class EnrollmentFilter {
  @Field(() => ID, { nullable: true, description: 'Only enrollments in this course (global id).' })
  courseId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only enrollments of this user (global id).' })
  userId?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Only enrollments of these types, e.g. StudentEnrollment, TeacherEnrollment (at most 100).',
  })
  types?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Only enrollments in one of these workflow states, e.g. active, invited (at most 100).',
  })
  workflowStates?: string[] | null;
}

@ArgsType()
export class EnrollmentsArgs extends PageArgs {
  @Field(() => EnrollmentFilter, { nullable: true, description: 'Which enrollments to list; all when omitted.' })
  filter?: EnrollmentFilter | null;
}

export const ENROLLMENTS_BY_ID: ListOrder = { scope: 'enrollments', field: null, direction: 'ASC' };

/** A filter with its ids checked: the form loaders and queries use (and batch keys compare). */
export interface CheckedEnrollmentFilter {
  courseId?: string;
  userId?: string;
  types?: string[];
  workflowStates?: string[];
}

export function checkEnrollmentFilter(filter: EnrollmentFilter | null | undefined): CheckedEnrollmentFilter {
  if (!filter) return {};
  const checked: CheckedEnrollmentFilter = {
    courseId: optionalIdArgument(filter.courseId, 'filter.courseId'),
    userId: optionalIdArgument(filter.userId, 'filter.userId'),
    types: listArgument(filter.types, 'filter.types'),
    workflowStates: listArgument(filter.workflowStates, 'filter.workflowStates'),
  };
  return Object.fromEntries(Object.entries(checked).filter(([, v]) => v !== undefined));
}

export function applyEnrollmentFilter(qb: SelectQueryBuilder<Enrollment>, f: CheckedEnrollmentFilter): void {
  const a = qb.alias;
  if (f.courseId) qb.andWhere(`${a}.courseId = :enCourseId`, { enCourseId: BigInt(f.courseId) });
  if (f.userId) qb.andWhere(`${a}.userId = :enUserId`, { enUserId: BigInt(f.userId) });
  if (f.types) qb.andWhere(f.types.length ? `${a}.type IN (:...enTypes)` : '1 = 0', { enTypes: f.types });
  if (f.workflowStates) {
    qb.andWhere(f.workflowStates.length ? `${a}.workflowState IN (:...enStates)` : '1 = 0', {
      enStates: f.workflowStates,
    });
  }
}
