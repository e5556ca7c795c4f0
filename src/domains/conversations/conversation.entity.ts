// A Canvas inbox conversation.
import { Entity } from 'typeorm';
import { IdColumn, IdPrimaryColumn, IntColumn, StringColumn, TimeColumn } from '../../db/columns';

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

  /** The course of its earliest event (by courseVersion) whose metadata context is a Course. */
  @IdColumn({ name: 'course_id' })
  courseId: string | null;

  @StringColumn(160, { name: 'course_version' })
  courseVersion: string | null;

  /** The newest createdAt of its messages (max over every message seen). */
  @TimeColumn({ name: 'last_message_at' })
  lastMessageAt: Date | null;

  /** lastMessageAt, else createdAt: kept as a column so activity filters and orders read an index. */
  @TimeColumn({ name: 'last_activity_at' })
  lastActivityAt: Date | null;

  /** How many distinct messages of it have been seen. */
  @IntColumn({ name: 'message_count', nullable: false })
  messageCount: number;
}
