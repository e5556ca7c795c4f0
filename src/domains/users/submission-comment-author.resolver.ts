// SubmissionComment.author, batched over every comment of a response.
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { GraphQLContext } from '../../graphql/context';
import { SubmissionComment } from '../submissions/submission-comment.entity';
import { SubmissionCommentType } from '../submissions/submission-comment.type';
import { userLoaders } from './user.loaders';
import { UserType } from './user.type';

@Resolver(() => SubmissionCommentType)
export class SubmissionCommentAuthorResolver {
  @FieldResolver(() => UserType, {
    nullable: true,
    description: 'The user who wrote the comment (authorId); null while no launch or live event of theirs is known.',
  })
  author(@Root() comment: SubmissionComment, @Ctx() ctx: GraphQLContext) {
    return comment.authorId ? ctx.loaders.of(userLoaders).byId.load(comment.authorId) : null;
  }
}
