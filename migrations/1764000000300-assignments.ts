// The assignments read model (src/domains/assignments): assignment_created / _updated,
// and assignments known only from a submission's assignment_id.
import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

const nullable = (name: string, type: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type,
  isNullable: true,
  ...extra,
});

export class Assignments1764000000300 implements MigrationInterface {
  name = 'Assignments1764000000300';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'assignments',
        columns: [
          { name: 'id', type: 'bigint', isPrimary: true, isNullable: false },
          nullable('course_id', 'bigint'),
          nullable('title', 'text'),
          nullable('description', 'text'),
          nullable('due_at', 'datetime', { precision: 3 }),
          nullable('unlock_at', 'datetime', { precision: 3 }),
          nullable('lock_at', 'datetime', { precision: 3 }),
          nullable('points_possible', 'double'),
          nullable('submission_types', 'text'),
          nullable('workflow_state', 'varchar', { length: '32' }),
          { name: 'first_seen_at', type: 'datetime', precision: 3, isNullable: false },
          nullable('state_version', 'varchar', { length: '160' }),
          nullable('field_versions', 'text'),
        ],
        indices: [new TableIndex({ name: 'idx_assignments_course', columnNames: ['course_id', 'id'] })],
      }),
    );
    // As in the initial schema: utf8mb4 with exact (binary) comparison, as on SQLite.
    if (qr.connection.options.type === 'mysql') {
      await qr.query('ALTER TABLE `assignments` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin');
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('assignments', true);
  }
}
