// Who took part in a conversation: its starter and the authors of its messages.
// Kept as rows (not derived per query) so "conversations of user X" is an index lookup.
import { Entity } from 'typeorm';
import { IdPrimaryColumn } from '../../db/columns';

@Entity({ name: 'conversation_participants' })
export class ConversationParticipant {
  @IdPrimaryColumn({ name: 'conversation_id' })
  conversationId: string;

  @IdPrimaryColumn({ name: 'user_id' })
  userId: string;
}
