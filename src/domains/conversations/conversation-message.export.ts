// GET /export/messages.ndjson|.csv: conversation messages, with the filter of Query.messages.
import { columnsOf, declareExport } from '../../export/declaration';
import { applyMessageFilter, checkMessageFilter } from './conversation-message.args';
import { ConversationMessage } from './conversation-message.entity';

export const messagesExport = declareExport<ConversationMessage>({
  name: 'messages',
  entity: ConversationMessage,
  changedBy: 'changedSeq',
  params: { conversationId: 'id', authorId: 'id', courseId: 'id', createdSince: 'time', createdBefore: 'time' },
  filter: (qb, p) => applyMessageFilter(qb, checkMessageFilter(p as never)),

  columns: columnsOf<ConversationMessage>({ id: 'id', conversationId: 'id', authorId: 'id', createdAt: 'time' }),
});
