// Everything the API resolves on Conversation: the `conversation` and `conversations`
// queries, its local id, its participants (as ids, and as users through the users
// domain's loaders) and its messages.
import { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import { idArgument } from '../../graphql/arguments';
import { GraphQLContext } from '../../graphql/context';
import { WithNode } from '../../graphql/node';
import { listPage, PageArgs, pageRequest, TopLevelList } from '../../graphql/pagination';
import { User, userLoaders, UserType } from '../users';
import { ListArgs, listSize } from '../../graphql/list-bounds';
import { applyConversationFilter, conversationOrder, ConversationsArgs } from './conversation.args';
import { MESSAGES_OLDEST_FIRST } from './conversation-message.args';
import { ConversationMessageConnection } from './conversation-message.type';
import { Conversation } from './conversation.entity';
import { conversationLoaders } from './conversation.loaders';
import { ConversationConnection, ConversationType } from './conversation.type';

const CONVERSATIONS: TopLevelList<Conversation, ConversationsArgs> = {
  entity: Conversation,
  order: (args) => conversationOrder(args.orderBy),
  filter: (qb, args) => applyConversationFilter(qb, args.filter),
  loaders: conversationLoaders,
};

@Resolver(() => ConversationType)
export class ConversationResolver extends WithNode(ConversationType, {
  load: (ctx) => ctx.loaders.of(conversationLoaders).byId,
}) {
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

  @Query(() => ConversationConnection, {
    description: 'Inbox conversations, filtered and sorted as asked (ascending id by default).',
  })
  conversations(@Args() args: ConversationsArgs, @Ctx() ctx: GraphQLContext) {
    return listPage(CONVERSATIONS, args, ctx);
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

  // One statement for the participant ids of every conversation of a response, one for the users.
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
