// A Canvas inbox conversation.
import { Entity } from 'typeorm';
import { IdColumn, IdPrimaryColumn, StringColumn, TimeColumn } from '../../db/columns';

@Entity({ name: 'conversations' })
export class Conversation {
  @IdPrimaryColumn()
  id: string;

  /** metadata.user_id of conversation_created. */
  @IdColumn({ name: 'started_by_id' })
  startedById: string | null;

  /** event_time of conversation_created. */
  @TimeColumn({ name: 'created_at' })
  createdAt: Date | null;

  /** The latest body.updated_at seen. */
  @TimeColumn({ name: 'updated_at' })
  updatedAt: Date | null;

  /** Version of the conversation_created event that set startedById / createdAt. */
  @StringColumn(160, { name: 'created_version' })
  createdVersion: string | null;
}
