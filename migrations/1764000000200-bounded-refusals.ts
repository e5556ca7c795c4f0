// Bounded refusals: rejected_events learns where a refusal came from, how much was
// received (a stranger's body is kept only as a sample) and how many bytes each row keeps
// (retention's size cap adds that column up, the same on both databases). And LTI nonces
// compare as bytes on MySQL too: utf8mb4_bin pads, so `pad` and `pad ` were one nonce
// there and two on SQLite; VARBINARY has no pad and no collation.
import { MigrationInterface, QueryRunner } from 'typeorm';

const NEW_COLUMNS: Array<[name: string, definition: string]> = [
  ['client_address', 'VARCHAR(64) NULL'],
  ['received_bytes', 'BIGINT NULL'],
  ['item_count', 'INTEGER NULL'],
  ['stored_bytes', 'BIGINT NOT NULL DEFAULT 0'],
];

export class BoundedRefusals1764000000200 implements MigrationInterface {
  name = 'BoundedRefusals1764000000200';

  async up(qr: QueryRunner): Promise<void> {
    const mysql = qr.connection.options.type === 'mysql';
    // Plain ALTER TABLE on both (TypeORM's addColumn rebuilds a SQLite table).
    for (const [name, definition] of NEW_COLUMNS) {
      await qr.query(`ALTER TABLE rejected_events ADD COLUMN ${name} ${definition}`);
    }
    // Bytes, not characters: MySQL's LENGTH counts bytes; SQLite's counts them of a BLOB.
    const bytes = (column: string) => (mysql ? `LENGTH(${column})` : `LENGTH(CAST(${column} AS BLOB))`);
    await qr.query(
      `UPDATE rejected_events SET received_bytes = ${bytes('raw')}, item_count = 1, ` +
        `stored_bytes = ${bytes('raw')} + ${bytes('reason')}`,
    );
    if (mysql) {
      // 191 and 128 characters of up to 4 bytes each.
      await qr.query(
        'ALTER TABLE lti_nonces MODIFY consumer_key VARBINARY(764) NOT NULL, MODIFY nonce VARBINARY(512) NOT NULL',
      );
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    if (qr.connection.options.type === 'mysql') {
      await qr.query(
        'ALTER TABLE lti_nonces MODIFY consumer_key VARCHAR(191) COLLATE utf8mb4_bin NOT NULL, ' +
          'MODIFY nonce VARCHAR(128) COLLATE utf8mb4_bin NOT NULL',
      );
    }
    for (const [name] of [...NEW_COLUMNS].reverse()) await qr.query(`ALTER TABLE rejected_events DROP COLUMN ${name}`);
  }
}
