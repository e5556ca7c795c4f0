import type { DomainModule } from '../../projection/domain-module';
import { ConversationMessageResolver } from './conversation-message.resolver';
import { ConversationResolver } from './conversation.resolver';
import { ConversationMessage } from './conversation-message.entity';
import { ConversationParticipant } from './conversation-participant.entity';
import { Conversation } from './conversation.entity';
import { CONVERSATIONS_DOMAIN, conversationMessageProjector, conversationProjector } from './conversation.projector';

export { MessageFilter } from './conversation-message.args';

export const conversationsModule: DomainModule = {
  name: CONVERSATIONS_DOMAIN,
  entities: [
    { entity: Conversation, keyed: true },
    { entity: ConversationMessage, keyed: true },
    { entity: ConversationParticipant, keyed: true },
  ],
  projectors: [conversationProjector, conversationMessageProjector],
  resolvers: [ConversationResolver, ConversationMessageResolver],
};
export { messagesExport } from './conversation-message.export';
