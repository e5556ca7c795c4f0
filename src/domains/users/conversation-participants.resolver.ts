// Conversation.participants: the participants known as users, batched over every
// conversation of a response (one statement for the participant ids, one for the users).
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { GraphQLContext } from '../../graphql/context';
import { ListArgs, listSize } from '../../graphql/list-bounds';
import { Conversation } from '../conversations/conversation.entity';
import { conversationLoaders } from '../conversations/conversation.loaders';
import { ConversationType } from '../conversations/conversation.type';
import { User } from './user.entity';
import { userLoaders } from './user.loaders';
import { UserType } from './user.type';

@Resolver(() => ConversationType)
export class ConversationParticipantsResolver {
  @FieldResolver(() => [UserType], {
    description:
      'Its participants that are known as users, among the first `first` of participantIds (ascending id); participantIds lists them all.',
  })
  async participants(
    @Root() conversation: Conversation,
    @Args() args: ListArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<User[]> {
    const first = listSize(args);
    const rows = (await ctx.loaders.of(conversationLoaders).participants.load(conversation.id)).slice(0, first);
    const users = await ctx.loaders.of(userLoaders).byId.loadMany(rows.map((row) => row.userId));
    return users.filter((user): user is User => user !== null && !(user instanceof Error));
  }
}
