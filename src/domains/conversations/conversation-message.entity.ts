// A message in a conversation (conversation_message_created).
import { Entity } from 'typeorm';
import { ChangedSeqColumn, IdColumn, IdPrimaryColumn, StringColumn, TimeColumn } from '../../db/columns';

@Entity({ name: 'conversation_messages' })
export class ConversationMessage {
  @IdPrimaryColumn()
  id: string;

  @IdColumn({ name: 'conversation_id', nullable: false })
  conversationId: string;

  @IdColumn({ name: 'author_id' })
  authorId: string | null;

  @TimeColumn({ name: 'created_at' })
  createdAt: Date | null;

  @StringColumn(160, { name: 'state_version' })
  stateVersion: string | null;

  /** Exports' change tracking: the log sequence of the last event that wrote this row (see db/columns.ts). */
  @ChangedSeqColumn()
  changedSeq: string | null;
}
