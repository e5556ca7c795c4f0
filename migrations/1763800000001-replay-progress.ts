// Where a chunked replay got to, so `npm run replay -- --resume` continues after the
// last committed chunk instead of starting over.
import { MigrationInterface, QueryRunner, Table } from 'typeorm';

export class ReplayProgress1763800000001 implements MigrationInterface {
  name = 'ReplayProgress1763800000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'replay_progress',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'last_event_id', type: 'bigint', isNullable: false },
          { name: 'until_event_id', type: 'bigint', isNullable: false },
          { name: 'started_at', type: 'datetime', precision: 3, isNullable: false },
          { name: 'finished_at', type: 'datetime', precision: 3, isNullable: true },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('replay_progress', true);
  }
}
