// Indexes for the reporting aggregates (src/reporting): GROUP BY assignment reads one
// covering index in assignment order (every column the submission measures use, so no
// row lookups and no sort), a course's groups seek on (course, assignment), and the
// activity datasets find their time range (MIN/MAX for the buckets) and group by author
// without scanning the table.
import { MigrationInterface, QueryRunner } from 'typeorm';

const INDEXES: Array<[name: string, table: string, columns: string[]]> = [
  [
    'idx_submissions_assignment_stats',
    'submissions',
    ['assignment_id', 'workflow_state', 'late', 'missing', 'score', 'submitted_at', 'graded_at'],
  ],
  ['idx_submissions_course_assignment', 'submissions', ['course_id', 'assignment_id']],
  ['idx_submission_comments_created', 'submission_comments', ['created_at']],
  ['idx_submission_comments_author', 'submission_comments', ['author_id', 'created_at']],
  ['idx_conversation_messages_created', 'conversation_messages', ['created_at']],
  ['idx_conversation_messages_author', 'conversation_messages', ['author_id', 'created_at']],
];

export class ReportingIndexes1764000000400 implements MigrationInterface {
  name = 'ReportingIndexes1764000000400';

  async up(qr: QueryRunner): Promise<void> {
    // Plain CREATE INDEX, valid on both databases (TypeORM may rebuild a SQLite table).
    for (const [name, table, columns] of INDEXES)
      await qr.query(`CREATE INDEX ${name} ON ${table} (${columns.join(', ')})`);
  }

  async down(qr: QueryRunner): Promise<void> {
    const mysql = qr.connection.options.type === 'mysql';
    for (const [name, table] of [...INDEXES].reverse())
      await qr.query(mysql ? `DROP INDEX ${name} ON ${table}` : `DROP INDEX ${name}`);
  }
}
