import type { DomainModule } from '../domain-module';
import { ConversationMessage } from './conversation-message.entity';
import { ConversationParticipant } from './conversation-participant.entity';
import { Conversation } from './conversation.entity';
import { conversationMessageProjector, conversationProjector } from './conversation.projector';

export const conversationsModule: DomainModule = {
  name: 'conversations',
  entities: [Conversation, ConversationMessage, ConversationParticipant],
  projectors: [conversationProjector, conversationMessageProjector],
};
