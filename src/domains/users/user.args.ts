// Arguments of the users list.
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { SelectQueryBuilder } from 'typeorm';
import { idParams } from '../../db/columns';
import { idListArgument } from '../../graphql/arguments';
import { PageArgs } from '../../graphql/pagination';
import { User } from './user.entity';

@InputType('UserFilter', { description: 'Narrows the list of users; every condition given must hold.' })
export class UserFilter {
  @Field(() => [ID], { nullable: true, description: 'Only these users (global ids, at most 100).' })
  ids?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'Only the user with this LTI user id (user_id of their launches).',
  })
  ltiUserId?: string | null;
}

@ArgsType()
export class UsersArgs extends PageArgs {
  @Field(() => UserFilter, { nullable: true, description: 'Which users to list; all when omitted.' })
  filter?: UserFilter | null;
}

export function applyUserFilter(qb: SelectQueryBuilder<User>, filter: UserFilter | null | undefined): void {
  const a = qb.alias;
  const ids = idListArgument(filter?.ids, 'filter.ids');
  if (ids) qb.andWhere(ids.length ? `${a}.id IN (:...uIds)` : '1 = 0', { uIds: idParams(ids) });
  // Served by idx_users_lti_user_id.
  if (filter?.ltiUserId != null) qb.andWhere(`${a}.ltiUserId = :uLtiUserId`, { uLtiUserId: filter.ltiUserId });
}
