// Everything the API resolves on ConversationMessage beyond its columns: its local id,
// its conversation, and its author (through the users domain's loaders).
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { GraphQLContext } from '../../graphql/context';
import { WithNode } from '../../graphql/node';
import { userLoaders, UserType } from '../users';
import { ConversationMessage } from './conversation-message.entity';
import { ConversationMessageType } from './conversation-message.type';
import { conversationLoaders } from './conversation.loaders';
import { ConversationType } from './conversation.type';

@Resolver(() => ConversationMessageType)
export class ConversationMessageResolver extends WithNode(ConversationMessageType, {
  load: (ctx) => ctx.loaders.of(conversationLoaders).messageById,
}) {
  @FieldResolver(() => ConversationType, { description: 'The conversation the message was posted in.' })
  async conversation(@Root() message: ConversationMessage, @Ctx() ctx: GraphQLContext) {
    // The message projector creates the conversation row when it is not known yet.
    const conversation = await ctx.loaders.of(conversationLoaders).byId.load(message.conversationId);
    if (!conversation) throw new Error(`conversation ${message.conversationId} of message ${message.id} is missing`);
    return conversation;
  }

  @FieldResolver(() => UserType, {
    nullable: true,
    description: 'The user who posted the message (authorId); null while no launch or live event of theirs is known.',
  })
  author(@Root() message: ConversationMessage, @Ctx() ctx: GraphQLContext) {
    return message.authorId ? ctx.loaders.of(userLoaders).byId.load(message.authorId) : null;
  }
}
