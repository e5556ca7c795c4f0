// Queries for conversations, and a conversation's participants and messages.
import { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import { idArgument } from '../../graphql/arguments';
import { connectionType, findPage, ListOrder, PageArgs, pageRequest } from '../../graphql/connection';
import { GraphQLContext, prime } from '../../graphql/context';
import { ListArgs, listSize } from '../../graphql/list-bounds';
import { localIdOf } from '../../canvas/canvas-id';
import { applyConversationFilter, ConversationsArgs } from './conversation.args';
import { ConversationMessageType } from './conversation-message.type';
import { Conversation } from './conversation.entity';
import { conversationLoaders } from './conversation.loaders';
import { ConversationType } from './conversation.type';

const ConversationConnection = connectionType(ConversationType, 'Conversation', 'conversations');
const ConversationMessageConnection = connectionType(
  ConversationMessageType,
  'ConversationMessage',
  'conversation messages',
);

const BY_ID: ListOrder = { scope: 'conversations', field: null, direction: 'ASC' };
// Canvas ids grow with time, so id order is posting order: oldest message first.
const MESSAGES_OLDEST_FIRST: ListOrder = { scope: 'conversationMessages', field: null, direction: 'ASC' };

@Resolver(() => ConversationType)
export class ConversationResolver {
  @Query(() => ConversationType, {
    nullable: true,
    description: 'One conversation by its global id; null when unknown.',
  })
  conversation(
    @Arg('id', () => ID, { description: 'Global Canvas id of the conversation.' }) id: string,
    @Ctx() ctx: GraphQLContext,
  ) {
    return ctx.loaders.of(conversationLoaders).byId.load(idArgument(id, 'id'));
  }

  @Query(() => ConversationConnection, { description: 'Inbox conversations, in ascending id order.' })
  async conversations(@Args() args: ConversationsArgs, @Ctx() ctx: GraphQLContext) {
    const request = pageRequest(args, BY_ID);
    const qb = ctx.dataSource.createQueryBuilder(Conversation, 'n');
    applyConversationFilter(qb, args.filter);
    const page = await findPage(qb, request);
    prime(ctx.loaders.of(conversationLoaders).byId, page.nodes);
    return page;
  }

  @FieldResolver(() => ID, { description: 'The local part of the id (without the shard).' })
  localId(@Root() conversation: Conversation): string {
    return localIdOf(conversation.id);
  }

  @FieldResolver(() => [ID], {
    description:
      'Global ids of everyone who took part: its starter and the authors of its messages; distinct, ascending; the first `first` of them.',
  })
  async participantIds(
    @Root() conversation: Conversation,
    @Args() args: ListArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<string[]> {
    const first = listSize(args);
    const rows = await ctx.loaders.of(conversationLoaders).participants.load(conversation.id);
    return rows.slice(0, first).map((row) => row.userId);
  }

  @FieldResolver(() => Int, { description: 'How many messages of the conversation have been seen.' })
  messageCount(@Root() conversation: Conversation, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.of(conversationLoaders).messageCount.load({ parentId: conversation.id, filter: null });
  }

  @FieldResolver(() => ConversationMessageConnection, { description: 'Messages of the conversation, oldest first.' })
  messages(
    @Root() conversation: Conversation,
    @Args() args: PageArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    const request = pageRequest(args, MESSAGES_OLDEST_FIRST);
    return ctx.loaders
      .of(conversationLoaders)
      .messagePage.load({ parentId: conversation.id, request, filter: null }, info);
  }
}
