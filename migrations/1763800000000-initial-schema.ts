// The first schema: event log, rejected events, and the read models. Written with
// TypeORM's portable Table API so one migration serves MySQL and SQLite.
import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000';

  async up(qr: QueryRunner): Promise<void> {
    const c = columns(qr);
    const tables: Array<[string, TableColumnOptions[], TableIndex[]]> = [
      [
        'events',
        [
          c.sequence('id'),
          c.string('content_hash', 64, false),
          c.string('name', 255, false),
          c.time('event_time', false),
          c.time('received_at', false),
          c.string('status', 16, false),
          c.text('error'),
          c.longText('payload', false),
        ],
        [
          unique('uq_events_content_hash', ['content_hash']),
          index('idx_events_name', ['name', 'id']),
          index('idx_events_time', ['event_time', 'id']),
          index('idx_events_status', ['status', 'id']),
        ],
      ],
      [
        'rejected_events',
        [
          c.sequence('id'),
          c.time('received_at', false),
          c.string('source', 32, false),
          c.string('content_type', 255),
          c.text('reason', false),
          c.longText('raw', false),
        ],
        [index('idx_rejected_events_received', ['received_at'])],
      ],
      [
        'courses',
        [
          c.id('id', true),
          c.id('account_id'),
          c.string('sis_source_id', 255),
          c.text('title'),
          c.string('course_code', 255),
          c.string('lti_context_id', 255),
          c.time('first_seen_at', false),
          c.time('last_activity_at', false),
          c.string('metadata_version', 160),
        ],
        [index('idx_courses_account', ['account_id', 'id']), index('idx_courses_lti_context', ['lti_context_id'])],
      ],
      [
        'resource_links',
        [
          c.id('id', true),
          c.string('uuid', 255),
          c.string('lookup_uuid', 255),
          c.id('context_id', false, false),
          c.string('context_type', 32, false),
          c.id('tool_id'),
          c.text('url'),
          c.string('workflow_state', 32),
          c.text('title'),
          c.text('description'),
          c.time('created_at'),
          c.time('updated_at'),
          c.string('state_version', 160),
        ],
        [
          index('idx_resource_links_context', ['context_type', 'context_id', 'id']),
          index('idx_resource_links_uuid', ['uuid']),
          index('idx_resource_links_tool', ['tool_id', 'id']),
        ],
      ],
      [
        'submissions',
        [
          c.id('id', true),
          c.id('assignment_id'),
          c.id('user_id'),
          c.id('course_id'),
          c.int('attempt'),
          c.text('body'),
          c.string('grade', 255),
          c.double('score'),
          c.bool('late'),
          c.bool('missing'),
          c.id('group_id'),
          c.string('lti_assignment_id', 255),
          c.string('lti_user_id', 255),
          c.string('submission_type', 64),
          c.text('url'),
          c.string('workflow_state', 32),
          c.time('submitted_at'),
          c.time('graded_at'),
          c.time('updated_at'),
          c.string('state_version', 160),
        ],
        [
          index('idx_submissions_course', ['course_id', 'id']),
          index('idx_submissions_assignment', ['assignment_id', 'id']),
          index('idx_submissions_user', ['user_id', 'id']),
          index('idx_submissions_submitted', ['submitted_at', 'id']),
          index('idx_submissions_updated', ['updated_at', 'id']),
          index('idx_submissions_score', ['score', 'id']),
        ],
      ],
      [
        'submission_versions',
        [
          c.sequence('id'),
          c.id('submission_id', false, false),
          c.id('event_id', false, false),
          c.string('event_name', 255, false),
          c.time('event_time', false),
          c.time('clock', false),
          c.int('attempt'),
          c.string('grade', 255),
          c.double('score'),
          c.string('workflow_state', 32),
          c.bool('late'),
          c.bool('missing'),
          c.time('submitted_at'),
          c.time('graded_at'),
          c.time('updated_at'),
        ],
        [
          index('idx_submission_versions_order', ['submission_id', 'clock', 'event_id']),
          unique('uq_submission_versions_event', ['submission_id', 'event_id']),
        ],
      ],
      [
        'submission_comments',
        [
          c.id('id', true),
          c.id('submission_id', false, false),
          c.id('author_id'),
          c.text('body'),
          c.text('attachment_ids', false),
          c.time('created_at'),
          c.string('state_version', 160),
        ],
        [index('idx_submission_comments_submission', ['submission_id', 'id'])],
      ],
      [
        'conversations',
        [
          c.id('id', true),
          c.id('started_by_id'),
          c.time('created_at'),
          c.time('updated_at'),
          c.string('created_version', 160),
        ],
        [index('idx_conversations_updated', ['updated_at', 'id'])],
      ],
      [
        'conversation_messages',
        [
          c.id('id', true),
          c.id('conversation_id', false, false),
          c.id('author_id'),
          c.time('created_at'),
          c.string('state_version', 160),
        ],
        [index('idx_conversation_messages_conversation', ['conversation_id', 'id'])],
      ],
      [
        'conversation_participants',
        [c.id('conversation_id', true), c.id('user_id', true)],
        [index('idx_conversation_participants_user', ['user_id', 'conversation_id'])],
      ],
    ];
    for (const [name, tableColumns, indices] of tables) {
      await qr.createTable(new Table({ name, columns: tableColumns, indices }));
      // Binary utf8mb4 on MySQL: any script and emoji survive, and string comparison is
      // exact, as on SQLite.
      if (isMysql(qr)) await qr.query(`ALTER TABLE \`${name}\` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const name of [
      'conversation_participants',
      'conversation_messages',
      'conversations',
      'submission_comments',
      'submission_versions',
      'submissions',
      'resource_links',
      'courses',
      'rejected_events',
      'events',
    ]) {
      await qr.dropTable(name, true);
    }
  }
}

function isMysql(qr: QueryRunner): boolean {
  return qr.connection.options.type === 'mysql';
}

function index(name: string, columnNames: string[]): TableIndex {
  return new TableIndex({ name, columnNames });
}

function unique(name: string, columnNames: string[]): TableIndex {
  return new TableIndex({ name, columnNames, isUnique: true });
}

/** Portable column shapes; the few per-database differences are decided here. */
function columns(qr: QueryRunner) {
  const mysql = isMysql(qr);
  return {
    sequence: (name: string): TableColumnOptions => ({
      name,
      // SQLite only auto-increments an INTEGER PRIMARY KEY (which is 64-bit there).
      type: mysql ? 'bigint' : 'integer',
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment',
    }),
    id: (name: string, primary = false, nullable = !primary): TableColumnOptions => ({
      name,
      type: 'bigint',
      isPrimary: primary,
      isNullable: nullable,
    }),
    string: (name: string, length: number, nullable = true): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable: nullable,
    }),
    text: (name: string, nullable = true): TableColumnOptions => ({ name, type: 'text', isNullable: nullable }),
    longText: (name: string, nullable = true): TableColumnOptions => ({
      name,
      type: mysql ? 'mediumtext' : 'text',
      isNullable: nullable,
    }),
    time: (name: string, nullable = true): TableColumnOptions => ({
      name,
      type: 'datetime',
      precision: 3,
      isNullable: nullable,
    }),
    int: (name: string): TableColumnOptions => ({ name, type: 'integer', isNullable: true }),
    double: (name: string): TableColumnOptions => ({ name, type: 'double', isNullable: true }),
    bool: (name: string): TableColumnOptions => ({ name, type: 'boolean', isNullable: true }),
  };
}
