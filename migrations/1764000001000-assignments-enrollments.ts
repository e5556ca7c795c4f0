// Assignments get their Canvas times (created_at / updated_at) and the indexes of their
// GraphQL lists; enrollments get their table (src/domains/enrollments); submissions get
// the index an assignment's unsubmitted students are found by: for each active student
// enrollment of the course, "has this user a submitted submission to this assignment" is
// one seek on (assignment_id, user_id, submitted_at).
//
// No index serves the TITLE order: title is TEXT (MySQL indexes only a prefix of it, which
// cannot serve the ORDER BY) and a course has tens of assignments, sorted in memory.
import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';
import { indexSet, IndexSpec } from './index-set';

const nullable = (name: string, type: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type,
  isNullable: true,
  ...extra,
});

const ASSIGNMENT_TIMES = ['created_at', 'updated_at'];

const INDEXES: IndexSpec[] = [
  ['idx_assignments_course_due', 'assignments', ['course_id', 'due_at', 'id']],
  ['idx_assignments_course_updated', 'assignments', ['course_id', 'updated_at', 'id']],
  ['idx_assignments_due', 'assignments', ['due_at', 'id']],
  ['idx_assignments_updated', 'assignments', ['updated_at', 'id']],
  ['idx_assignments_workflow_state', 'assignments', ['workflow_state', 'id']],
  ['idx_enrollments_course', 'enrollments', ['course_id', 'id']],
  ['idx_enrollments_course_roster', 'enrollments', ['course_id', 'type', 'workflow_state', 'id']],
  ['idx_enrollments_user', 'enrollments', ['user_id', 'id']],
  ['idx_enrollments_type', 'enrollments', ['type', 'id']],
  ['idx_enrollments_workflow_state', 'enrollments', ['workflow_state', 'id']],
  ['idx_enrollments_changed_seq', 'enrollments', ['changed_seq']],
  ['idx_submissions_assignment_user', 'submissions', ['assignment_id', 'user_id', 'submitted_at']],
];

export class AssignmentsEnrollments1764000001000 implements MigrationInterface {
  name = 'AssignmentsEnrollments1764000001000';

  async up(qr: QueryRunner): Promise<void> {
    // Plain ALTER TABLE: valid on both, and SQLite keeps its table (TypeORM's addColumn rebuilds it).
    for (const column of ASSIGNMENT_TIMES) {
      await qr.query(`ALTER TABLE assignments ADD COLUMN ${column} DATETIME(3) NULL`);
    }
    await qr.createTable(
      new Table({
        name: 'enrollments',
        columns: [
          { name: 'id', type: 'bigint', isPrimary: true, isNullable: false },
          { name: 'course_id', type: 'bigint', isNullable: false },
          { name: 'user_id', type: 'bigint', isNullable: false },
          nullable('course_section_id', 'bigint'),
          nullable('type', 'varchar', { length: '64' }),
          nullable('role', 'varchar', { length: '255' }),
          nullable('role_id', 'bigint'),
          nullable('workflow_state', 'varchar', { length: '32' }),
          nullable('user_name', 'text'),
          nullable('created_at', 'datetime', { precision: 3 }),
          nullable('updated_at', 'datetime', { precision: 3 }),
          nullable('state_version', 'varchar', { length: '160' }),
          nullable('field_versions', 'text'),
          nullable('changed_seq', 'bigint'),
        ],
      }),
    );
    // As in the initial schema: utf8mb4 with exact (binary) comparison, as on SQLite.
    if (qr.connection.options.type === 'mysql') {
      await qr.query('ALTER TABLE `enrollments` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin');
    }
    await indexSet(INDEXES).up(qr);
  }

  async down(qr: QueryRunner): Promise<void> {
    await indexSet(INDEXES).down(qr);
    await qr.dropTable('enrollments', true);
    for (const column of [...ASSIGNMENT_TIMES].reverse()) {
      await qr.query(`ALTER TABLE assignments DROP COLUMN ${column}`);
    }
  }
}
