// Per-request loaders for conversations: by id, participants, and messages (page and
// count) per conversation. messageCount and messages.totalCount share one count loader.
import type { DataSource } from 'typeorm';
import { perParentCountLoader, perParentPageLoader, PerParentList } from '../../graphql/pagination';
import { byIdLoader, childrenLoader } from '../../graphql/context';
import { ConversationMessage } from './conversation-message.entity';
import { ConversationParticipant } from './conversation-participant.entity';
import { Conversation } from './conversation.entity';

export function conversationLoaders(dataSource: DataSource) {
  const byId = byIdLoader(dataSource, Conversation);
  const perConversation: PerParentList<ConversationMessage, null> = {
    dataSource,
    entity: ConversationMessage,
    parentProperty: 'conversationId',
  };
  const messageCount = perParentCountLoader(perConversation);
  const messagePage = perParentPageLoader(perConversation, messageCount);
  // BIGINT columns: ordered numerically by the database, not as text.
  const participants = childrenLoader(dataSource, ConversationParticipant, 'conversationId', ['userId']);
  return { byId, messageCount, messagePage, participants };
}
