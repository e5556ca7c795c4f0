// Everything the API resolves on ConversationMessage: the `messages` query (across
// conversations), its local id, its conversation, and its author (through the users
// domain's loaders).
import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root, Subscription } from 'type-graphql';
import { changedIds, LiveItem, liveUpdates, liveValue, touches } from '../../graphql/live';
import { GraphQLContext } from '../../graphql/context';
import { WithNode } from '../../graphql/node';
import { userLoaders, UserType } from '../users';
import { listPage, TopLevelList } from '../../graphql/pagination';
import {
  applyMessageFilter,
  checkMessageFilter,
  ALL_MESSAGES_OLDEST_FIRST,
  matchesMessageFilter,
  MessageFilter,
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

  @Subscription(() => ConversationMessageType, {
    description:
      'Each conversation message posted from now on that matches the filter (all when omitted). Over WebSocket (graphql-ws) at /graphql.',
    subscribe: ({ args, context }: { args: { filter?: MessageFilter | null }; context: GraphQLContext }) => {
      const filter = checkMessageFilter(args.filter);
      const table = context.dataSource.getMetadata(ConversationMessage).tableName;
      return liveUpdates(context, {
        wants: touches(table, true),
        select: async (event, loaders) => {
          const added: ConversationMessage[] = [];
          for (const id of changedIds(event, table, true)) {
            const message = await loaders.of(conversationLoaders).messageById.load(id);
            const conversation = () => loaders.of(conversationLoaders).byId.load(message!.conversationId);
            if (message && (await matchesMessageFilter(message, filter, conversation))) added.push(message);
          }
          return added;
        },
      });
    },
  })
  messageAdded(
    @Root() update: LiveItem<ConversationMessage>,
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => MessageFilter, { nullable: true, description: 'Which messages; all when omitted.' })
    _filter?: MessageFilter | null,
  ) {
    return liveValue(update, ctx);
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
