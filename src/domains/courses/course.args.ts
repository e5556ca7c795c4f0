// Arguments of the courses list, and how its filter becomes SQL.
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { SelectQueryBuilder } from 'typeorm';
import { idParams } from '../../db/columns';
import { idListArgument, optionalIdArgument } from '../../graphql/arguments';
import { PageArgs } from '../../graphql/pagination';
import { Course } from './course.entity';

@InputType('CourseFilter', { description: 'Narrows the list of courses; every condition given must hold.' })
export class CourseFilter {
  @Field(() => [ID], { nullable: true, description: 'Only these courses (global ids, at most 100).' })
  ids?: string[] | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Only courses of this account (global id, as in metadata.context_account_id).',
  })
  accountId?: string | null;
}

@ArgsType()
export class CoursesArgs extends PageArgs {
  @Field(() => CourseFilter, { nullable: true, description: 'Which courses to list; all when omitted.' })
  filter?: CourseFilter | null;
}

export function applyCourseFilter(qb: SelectQueryBuilder<Course>, filter: CourseFilter | null | undefined): void {
  const a = qb.alias;
  const ids = idListArgument(filter?.ids, 'filter.ids');
  const accountId = optionalIdArgument(filter?.accountId, 'filter.accountId');
  if (ids) qb.andWhere(ids.length ? `${a}.id IN (:...ids)` : '1 = 0', { ids: idParams(ids) });
  if (accountId) qb.andWhere(`${a}.accountId = :accountId`, { accountId: BigInt(accountId) });
}
