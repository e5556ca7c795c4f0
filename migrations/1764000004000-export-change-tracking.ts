// Exports (src/export): `changed_seq` on every exported read-model table, indexed with id
// for `?since=` pages in (changed_seq, id) order, and the one-row `log_write_gate` that
// makes an export's cursor safe on MySQL (src/log/write-gate.ts).
//
// Back-fill: none. Nothing in a read-model row names the last event that wrote it (a
// submission's state_version names a clock and a hash, not an arrival; a course is written
// by every event of its context), so no value can be derived that is not made up. Rows
// written before this migration keep NULL, which exports treat as "changed at 0": they
// are in every full export and in `since=0`, and leave a `since` later than 0 only when an
// event writes them again, or when `npm run replay` rebuilds them (which stamps every row).
import { MigrationInterface, QueryRunner } from 'typeorm';

export const CHANGE_TRACKED_TABLES = [
  'courses',
  'resource_links',
  'submissions',
  'submission_comments',
  'conversation_messages',
  'assignments',
];

export class ExportChangeTracking1764000004000 implements MigrationInterface {
  name = 'ExportChangeTracking1764000004000';

  async up(qr: QueryRunner): Promise<void> {
    for (const table of CHANGE_TRACKED_TABLES) {
      await qr.query(`ALTER TABLE ${table} ADD COLUMN changed_seq BIGINT NULL`);
      await qr.query(`CREATE INDEX idx_${table}_changed ON ${table} (changed_seq, id)`);
    }
    await qr.query('CREATE TABLE log_write_gate (id INTEGER NOT NULL PRIMARY KEY)');
    await qr.query('INSERT INTO log_write_gate (id) VALUES (1)');
  }

  async down(qr: QueryRunner): Promise<void> {
    const mysql = qr.connection.options.type === 'mysql';
    await qr.query('DROP TABLE log_write_gate');
    for (const table of [...CHANGE_TRACKED_TABLES].reverse()) {
      await qr.query(mysql ? `DROP INDEX idx_${table}_changed ON ${table}` : `DROP INDEX idx_${table}_changed`);
      await qr.query(`ALTER TABLE ${table} DROP COLUMN changed_seq`);
    }
  }
}
