// Submission.user: the user who submitted, batched over every submission of a response.
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { GraphQLContext } from '../../graphql/context';
import { Submission } from '../submissions/submission.entity';
import { SubmissionType } from '../submissions/submission.type';
import { userLoaders } from './user.loaders';
import { UserType } from './user.type';

@Resolver(() => SubmissionType)
export class SubmissionUserResolver {
  @FieldResolver(() => UserType, {
    nullable: true,
    description: 'The user who submitted (userId); null while no launch or live event of theirs is known.',
  })
  user(@Root() submission: Submission, @Ctx() ctx: GraphQLContext) {
    return submission.userId ? ctx.loaders.of(userLoaders).byId.load(submission.userId) : null;
  }
}
