// Everything the API resolves on ConversationMessage: the `messages` query (across
// conversations), its local id, its conversation, and its author (through the users
// domain's loaders).
import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { GraphQLContext } from '../../graphql/context';
import { WithNode } from '../../graphql/node';
import { userLoaders, UserType } from '../users';
import { listPage, TopLevelList } from '../../graphql/pagination';
import {
  applyMessageFilter,
  checkMessageFilter,
  ALL_MESSAGES_OLDEST_FIRST,
  MessagesArgs,
} from './conversation-message.args';
import { ConversationMessage } from './conversation-message.entity';
import { ConversationMessageConnection, ConversationMessageType } from './conversation-message.type';
import { conversationLoaders } from './conversation.loaders';
import { ConversationType } from './conversation.type';

const MESSAGES: TopLevelList<ConversationMessage, MessagesArgs> = {
  entity: ConversationMessage,
  order: ALL_MESSAGES_OLDEST_FIRST,
  filter: (qb, args) => applyMessageFilter(qb, checkMessageFilter(args.filter)),
};

@Resolver(() => ConversationMessageType)
export class ConversationMessageResolver extends WithNode(ConversationMessageType, {
  load: (ctx) => ctx.loaders.of(conversationLoaders).messageById,
}) {
  @Query(() => ConversationMessageConnection, {
    description: 'Every conversation message, across conversations, oldest first (ascending id).',
  })
  messages(@Args() args: MessagesArgs, @Ctx() ctx: GraphQLContext) {
    return listPage(MESSAGES, args, ctx);
  }

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
