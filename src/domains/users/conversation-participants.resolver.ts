// Conversation.participants: the participants known as users, batched over every
// conversation of a response (one statement for the participant ids, one for the users).
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { GraphQLContext } from '../../graphql/context';
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
      'Its participants (as in participantIds, ascending id) that are known as users; participantIds lists them all.',
  })
  async participants(@Root() conversation: Conversation, @Ctx() ctx: GraphQLContext): Promise<User[]> {
    const rows = await ctx.loaders.of(conversationLoaders).participants.load(conversation.id);
    const users = await ctx.loaders.of(userLoaders).byId.loadMany(rows.map((row) => row.userId));
    return users.filter((user): user is User => user !== null && !(user instanceof Error));
  }
}
