// Everything the API resolves on User: the `user` and `users` queries, its local id, its
// roles as a list, and its personal data — null unless the caller is an admin.
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { idArgument } from '../../graphql/arguments';
import { GraphQLContext } from '../../graphql/context';
import { WithNode } from '../../graphql/node';
import { listPage, TopLevelList } from '../../graphql/pagination';
import { MAX_USER_ROLES } from '../../graphql/list-bounds';
import { applyUserFilter, UsersArgs } from './user.args';
import { User } from './user.entity';
import { userLoaders } from './user.loaders';
import { UserConnection, UserType } from './user.type';

const USERS: TopLevelList<User, UsersArgs> = {
  entity: User,
  order: { scope: 'users', field: null, direction: 'ASC' },
  filter: (qb, args) => applyUserFilter(qb, args.filter),
  loaders: userLoaders,
};

export const PERSONAL_DATA = 'Personal data: null unless the caller uses an admin token.';
const PERSONAL = PERSONAL_DATA;

/** The value for admins, null for everyone else: the rule of every personal field (names, email, login, SIS id). */
export function personal<T>(ctx: GraphQLContext, value: T): T | null {
  return ctx.role === 'admin' ? value : null;
}

@Resolver(() => UserType)
export class UserResolver extends WithNode(UserType, {
  load: (ctx) => ctx.loaders.of(userLoaders).byId,
  localId: 'The local part of the id, as Canvas shows it in user URLs (/users/12345).',
}) {
  @Query(() => UserType, {
    nullable: true,
    description: 'One user by global id; null when no launch or live event named them.',
  })
  user(@Arg('id', () => ID, { description: 'Global Canvas id of the user.' }) id: string, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.of(userLoaders).byId.load(idArgument(id, 'id'));
  }

  @Query(() => UserConnection, { description: 'Users seen in launches and live events, in ascending id order.' })
  users(@Args() args: UsersArgs, @Ctx() ctx: GraphQLContext) {
    return listPage(USERS, args, ctx);
  }

  @FieldResolver(() => [String], {
    description: `LIS roles of the latest launch (roles, split at commas), e.g. Instructor; empty when never launched. The first ${MAX_USER_ROLES}.`,
  })
  roles(@Root() user: User): string[] {
    return (user.roles ?? '')
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean)
      .slice(0, MAX_USER_ROLES);
  }

  @FieldResolver(() => String, { nullable: true, description: `Full name (lis_person_name_full). ${PERSONAL}` })
  name(@Root() user: User, @Ctx() ctx: GraphQLContext) {
    return personal(ctx, user.name);
  }

  @FieldResolver(() => String, { nullable: true, description: `Given name (lis_person_name_given). ${PERSONAL}` })
  givenName(@Root() user: User, @Ctx() ctx: GraphQLContext) {
    return personal(ctx, user.givenName);
  }

  @FieldResolver(() => String, { nullable: true, description: `Family name (lis_person_name_family). ${PERSONAL}` })
  familyName(@Root() user: User, @Ctx() ctx: GraphQLContext) {
    return personal(ctx, user.familyName);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: `Email address (lis_person_contact_email_primary). ${PERSONAL}`,
  })
  email(@Root() user: User, @Ctx() ctx: GraphQLContext) {
    return personal(ctx, user.email);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: `Login (metadata.user_login of their live events). ${PERSONAL}`,
  })
  login(@Root() user: User, @Ctx() ctx: GraphQLContext) {
    return personal(ctx, user.login);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: `SIS user id (metadata.user_sis_id of their live events). ${PERSONAL}`,
  })
  sisId(@Root() user: User, @Ctx() ctx: GraphQLContext) {
    return personal(ctx, user.sisId);
  }
}
