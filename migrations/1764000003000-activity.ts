// Conversation activity, submissions' posted_at and resource link titles from live events.
//
// conversations: the course (metadata context of its events, with the version that set
// it), the newest message's createdAt, lastActivityAt (that, else createdAt) and the
// message count, as columns the projector maintains, so the activity filters and orders
// of the API read an index instead of aggregating messages per query. Existing rows are
// back-filled here from conversation_messages; course_id needs the events' metadata,
// which no table but the log holds, so it is filled by `npm run replay`.
//
// submissions: posted_at with its own version (an absent posted_at never erases).
// resource_links: the title of live events and the title of launches, each with the
// version that set it; `title` is the newer of the two. Existing titles came from
// launches only.
import { MigrationInterface, QueryRunner } from 'typeorm';
import { indexSet, IndexSpec } from './index-set';

const COLUMNS: Array<[table: string, column: string, type: string]> = [
  ['conversations', 'course_id', 'bigint NULL'],
  ['conversations', 'course_version', 'varchar(160) NULL'],
  ['conversations', 'last_message_at', 'datetime(3) NULL'],
  ['conversations', 'last_activity_at', 'datetime(3) NULL'],
  ['conversations', 'message_count', 'integer NOT NULL DEFAULT 0'],
  ['submissions', 'posted_at', 'datetime(3) NULL'],
  ['submissions', 'posted_at_version', 'varchar(160) NULL'],
  ['resource_links', 'live_title', 'text NULL'],
  ['resource_links', 'live_title_version', 'varchar(160) NULL'],
  ['resource_links', 'launch_title', 'text NULL'],
  ['resource_links', 'launch_title_version', 'varchar(160) NULL'],
];

const INDEXES: IndexSpec[] = [
  // ConversationFilter.courseId, and MessageFilter.courseId through its conversations.
  ['idx_conversations_course', 'conversations', ['course_id', 'id']],
  // activeSince / activeBefore and ConversationOrder LAST_ACTIVITY_AT, MESSAGE_COUNT.
  ['idx_conversations_last_activity', 'conversations', ['last_activity_at', 'id']],
  ['idx_conversations_message_count', 'conversations', ['message_count', 'id']],
  // SubmissionFilter.gradedSince / gradedBefore (scoreAtLeast / AtMost use idx_submissions_score).
  ['idx_submissions_graded', 'submissions', ['graded_at', 'id']],
  // CommentOrder CREATED_AT (the reporting index has created_at alone; SQLite needs the id to skip the sort).
  ['idx_submission_comments_created_id', 'submission_comments', ['created_at', 'id']],
];

const indexes = indexSet(INDEXES);

export class Activity1764000003000 implements MigrationInterface {
  name = 'Activity1764000003000';

  async up(qr: QueryRunner): Promise<void> {
    // Plain ALTER TABLE, valid on both (TypeORM's addColumn rebuilds a SQLite table).
    for (const [table, column, type] of COLUMNS) await qr.query(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
    await qr.query(
      `UPDATE conversations SET
         message_count = (SELECT COUNT(*) FROM conversation_messages m WHERE m.conversation_id = conversations.id),
         last_message_at = (SELECT MAX(m.created_at) FROM conversation_messages m WHERE m.conversation_id = conversations.id)`,
    );
    await qr.query('UPDATE conversations SET last_activity_at = COALESCE(last_message_at, created_at)');
    await qr.query('UPDATE resource_links SET launch_title = title WHERE title IS NOT NULL');
    await indexes.up(qr);
  }

  async down(qr: QueryRunner): Promise<void> {
    await indexes.down(qr);
    for (const [table, column] of [...COLUMNS].reverse()) await qr.query(`ALTER TABLE ${table} DROP COLUMN ${column}`);
  }
}
