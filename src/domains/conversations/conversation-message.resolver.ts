// Fields of a conversation message that are not plain columns.
import { Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { GraphQLContext } from '../../graphql/context';
import { localIdOf } from '../../canvas/canvas-id';
import { ConversationMessage } from './conversation-message.entity';
import { ConversationMessageType } from './conversation-message.type';
import { conversationLoaders } from './conversation.loaders';
import { ConversationType } from './conversation.type';

@Resolver(() => ConversationMessageType)
export class ConversationMessageResolver {
  @FieldResolver(() => ID, { description: 'The local part of the id (without the shard).' })
  localId(@Root() message: ConversationMessage): string {
    return localIdOf(message.id);
  }

  @FieldResolver(() => ConversationType, { description: 'The conversation the message was posted in.' })
  async conversation(@Root() message: ConversationMessage, @Ctx() ctx: GraphQLContext) {
    // The message projector creates the conversation row when it is not known yet.
    const conversation = await ctx.loaders.of(conversationLoaders).byId.load(message.conversationId);
    if (!conversation) throw new Error(`conversation ${message.conversationId} of message ${message.id} is missing`);
    return conversation;
  }
}
