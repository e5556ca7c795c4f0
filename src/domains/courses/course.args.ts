// Arguments of the courses list.
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { PageArgs } from '../../graphql/pagination';

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
