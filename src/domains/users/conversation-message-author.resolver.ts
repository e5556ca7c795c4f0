// ConversationMessage.author, batched over every message of a response.
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { GraphQLContext } from '../../graphql/context';
import { ConversationMessage } from '../conversations/conversation-message.entity';
import { ConversationMessageType } from '../conversations/conversation-message.type';
import { userLoaders } from './user.loaders';
import { UserType } from './user.type';

@Resolver(() => ConversationMessageType)
export class ConversationMessageAuthorResolver {
  @FieldResolver(() => UserType, {
    nullable: true,
    description: 'The user who posted the message (authorId); null while no launch or live event of theirs is known.',
  })
  author(@Root() message: ConversationMessage, @Ctx() ctx: GraphQLContext) {
    return message.authorId ? ctx.loaders.of(userLoaders).byId.load(message.authorId) : null;
  }
}
