// Per-request loaders for conversations: by id, participants, and messages (by id, and a
// page and count per conversation). messageCount and messages.totalCount share one count loader.
import type { DataSource } from 'typeorm';
import { perParentCountLoader, perParentPageLoader, PerParentList } from '../../graphql/pagination';
import { byIdLoader, childrenLoader, prime } from '../../graphql/context';
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
  const messageById = byIdLoader(dataSource, ConversationMessage);
  const messagePage = perParentPageLoader(perConversation, messageCount, (rows) => prime(messageById, rows));
  // BIGINT columns: ordered numerically by the database, not as text.
  const participants = childrenLoader(dataSource, ConversationParticipant, 'conversationId', ['userId']);
  return { byId, messageById, messageCount, messagePage, participants };
}
