// Arguments of the assignment lists: the filter, the order, and how both become SQL.
import { ArgsType, Field, ID, InputType, registerEnumType } from 'type-graphql';
import { SelectQueryBuilder } from 'typeorm';
import { idParams } from '../../db/columns';
import { idListArgument, listArgument, optionalIdArgument } from '../../graphql/arguments';
import { ListOrder, OrderDirection, PageArgs, SortField } from '../../graphql/pagination';
import { Assignment } from './assignment.entity';

export enum AssignmentOrderField {
  ID = 'ID',
  DUE_AT = 'DUE_AT',
  TITLE = 'TITLE',
  UPDATED_AT = 'UPDATED_AT',
}

registerEnumType(AssignmentOrderField, {
  name: 'AssignmentOrderField',
  description: 'What a list of assignments can be sorted by. Ties are broken by id, in the same direction.',
  valuesConfig: {
    ID: { description: 'Assignment id (numeric): creation order.' },
    DUE_AT: { description: 'Due date; assignments without one count as earliest.' },
    TITLE: {
      description: 'Title, by Unicode code point (exact: case and accents matter); untitled ones count as lowest.',
    },
    UPDATED_AT: { description: 'When Canvas last changed the assignment; unknown counts as earliest.' },
  },
});

@InputType('AssignmentFilter', { description: 'Narrows a list of assignments; every condition given must hold.' })
export class AssignmentFilter {
  @Field(() => ID, { nullable: true, description: 'Only assignments of this course (global id).' })
  courseId?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Only these assignments (global ids, at most 100).' })
  ids?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Only assignments in one of these workflow states, e.g. published, unpublished (at most 100).',
  })
  workflowStates?: string[] | null;

  @Field(() => Date, { nullable: true, description: 'Only assignments due at or after this instant.' })
  dueSince?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only assignments due before this instant.' })
  dueBefore?: Date | null;
}

@InputType('AssignmentOrder', { description: 'The order of a list of assignments.' })
export class AssignmentOrder {
  @Field(() => AssignmentOrderField, { description: 'What to sort by.' })
  field: AssignmentOrderField;

  @Field(() => OrderDirection, { description: 'Ascending or descending.' })
  direction: OrderDirection;
}

@ArgsType()
export class AssignmentsArgs extends PageArgs {
  @Field(() => AssignmentFilter, { nullable: true, description: 'Which assignments to list; all when omitted.' })
  filter?: AssignmentFilter | null;

  @Field(() => AssignmentOrder, { nullable: true, description: 'Sort order; ascending id when omitted.' })
  orderBy?: AssignmentOrder | null;
}

/** A filter with its ids checked: the form loaders and queries use (and batch keys compare). */
export interface CheckedAssignmentFilter {
  courseId?: string;
  ids?: string[];
  workflowStates?: string[];
  dueSince?: Date;
  dueBefore?: Date;
}

export function checkAssignmentFilter(filter: AssignmentFilter | null | undefined): CheckedAssignmentFilter {
  if (!filter) return {};
  const checked: CheckedAssignmentFilter = {
    courseId: optionalIdArgument(filter.courseId, 'filter.courseId'),
    ids: idListArgument(filter.ids, 'filter.ids'),
    workflowStates: listArgument(filter.workflowStates, 'filter.workflowStates'),
    dueSince: filter.dueSince ?? undefined,
    dueBefore: filter.dueBefore ?? undefined,
  };
  return Object.fromEntries(Object.entries(checked).filter(([, v]) => v !== undefined));
}

export function applyAssignmentFilter(qb: SelectQueryBuilder<Assignment>, f: CheckedAssignmentFilter): void {
  const a = qb.alias;
  if (f.courseId) qb.andWhere(`${a}.courseId = :aCourseId`, { aCourseId: BigInt(f.courseId) });
  if (f.ids) qb.andWhere(f.ids.length ? `${a}.id IN (:...aIds)` : '1 = 0', { aIds: idParams(f.ids) });
  if (f.workflowStates) {
    qb.andWhere(f.workflowStates.length ? `${a}.workflowState IN (:...aStates)` : '1 = 0', {
      aStates: f.workflowStates,
    });
  }
  if (f.dueSince) qb.andWhere(`${a}.dueAt >= :aDueSince`, { aDueSince: f.dueSince });
  if (f.dueBefore) qb.andWhere(`${a}.dueAt < :aDueBefore`, { aDueBefore: f.dueBefore });
}

const SORT_FIELDS: Record<AssignmentOrderField, SortField | null> = {
  ID: null,
  DUE_AT: { property: 'dueAt', kind: 'time' },
  TITLE: { property: 'title', kind: 'text' },
  UPDATED_AT: { property: 'updatedAt', kind: 'time' },
};

export function assignmentOrder(order: AssignmentOrder | null | undefined): ListOrder {
  const field = order?.field ?? AssignmentOrderField.ID;
  const direction = order?.direction ?? OrderDirection.ASC;
  return { scope: `assignments:${field}:${direction}`, field: SORT_FIELDS[field], direction };
}
