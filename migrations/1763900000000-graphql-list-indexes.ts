// Indexes for the GraphQL lists that the initial schema did not cover: a course's
// submissions in each SubmissionOrder (seek on (course, sort column, id) instead of
// sorting every submission of the course), and the workflow-state filter.
import { MigrationInterface, QueryRunner } from 'typeorm';

const INDEXES: Array<[name: string, table: string, columns: string[]]> = [
  ['idx_submissions_course_submitted', 'submissions', ['course_id', 'submitted_at', 'id']],
  ['idx_submissions_course_updated', 'submissions', ['course_id', 'updated_at', 'id']],
  ['idx_submissions_course_score', 'submissions', ['course_id', 'score', 'id']],
  ['idx_submissions_workflow_state', 'submissions', ['workflow_state', 'id']],
];

export class GraphqlListIndexes1763900000000 implements MigrationInterface {
  name = 'GraphqlListIndexes1763900000000';

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
