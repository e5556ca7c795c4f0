// GET /export/messages.ndjson|.csv: conversation messages. The contract's MessageFilter
// has no GraphQL home yet: its fields that this table can answer, as SQL, here.
import { columnsOf, declareExport } from '../../export/declaration';
import { ConversationMessage } from './conversation-message.entity';

export const messagesExport = declareExport<ConversationMessage>({
  name: 'messages',
  entity: ConversationMessage,
  changedBy: 'changedSeq',
  params: { conversationId: 'id', authorId: 'id', createdSince: 'time', createdBefore: 'time' },
  filter: (qb, p) => {
    const a = qb.alias;
    if (p.conversationId)
      qb.andWhere(`${a}.conversationId = :mConversationId`, { mConversationId: BigInt(p.conversationId as string) });
    if (p.authorId) qb.andWhere(`${a}.authorId = :mAuthorId`, { mAuthorId: BigInt(p.authorId as string) });
    if (p.createdSince) qb.andWhere(`${a}.createdAt >= :mCreatedSince`, { mCreatedSince: p.createdSince });
    if (p.createdBefore) qb.andWhere(`${a}.createdAt < :mCreatedBefore`, { mCreatedBefore: p.createdBefore });
  },
  columns: columnsOf<ConversationMessage>({ id: 'id', conversationId: 'id', authorId: 'id', createdAt: 'time' }),
});
