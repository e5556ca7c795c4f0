import type { DomainModule } from '../../projection/domain-module';
import { ConversationMessageResolver } from './conversation-message.resolver';
import { ConversationResolver } from './conversation.resolver';
import { ConversationMessage } from './conversation-message.entity';
import { ConversationParticipant } from './conversation-participant.entity';
import { Conversation } from './conversation.entity';
import { conversationMessageProjector, conversationProjector } from './conversation.projector';

export const conversationsModule: DomainModule = {
  name: 'conversations',
  entities: [Conversation, ConversationMessage, ConversationParticipant],
  keyedEntities: [Conversation, ConversationMessage, ConversationParticipant],
  projectors: [conversationProjector, conversationMessageProjector],
  resolvers: [ConversationResolver, ConversationMessageResolver],
};
