// LTI launches: nonces of accepted launches (ingest state, kept across restarts and
// instances), the root accounts learnt from live events with their LTI guid, the facts
// launches told about contexts, links and users, and the users read model.
import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

const id = (name: string, isPrimary = false): TableColumnOptions => ({
  name,
  type: 'bigint',
  isPrimary,
  isNullable: !isPrimary,
});
const string = (name: string, length: number, isNullable = true, isPrimary = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable,
  isPrimary,
});
const text = (name: string, isNullable = true): TableColumnOptions => ({ name, type: 'text', isNullable });
const time = (name: string, isNullable = true): TableColumnOptions => ({
  name,
  type: 'datetime',
  precision: 3,
  isNullable,
});
const index = (name: string, columnNames: string[]) => new TableIndex({ name, columnNames });

const TABLES: Array<[string, TableColumnOptions[], TableIndex[]]> = [
  [
    'lti_nonces',
    [string('consumer_key', 191, false, true), string('nonce', 128, false, true), time('expires_at', false)],
    [index('idx_lti_nonces_expires', ['expires_at'])],
  ],
  [
    'root_accounts',
    [id('id', true), string('lti_guid', 255, false, true)],
    [index('idx_root_accounts_lti_guid', ['lti_guid', 'id'])],
  ],
  [
    'lti_facts',
    [
      string('kind', 16, false, true),
      string('lti_id', 255, false, true),
      string('consumer_guid', 255, false, true),
      string('context_id', 255),
      id('canvas_ref'),
      string('canvas_ref_version', 160),
      text('facts', false),
      time('first_launched_at', false),
      time('last_launched_at', false),
      id('applied_id'),
    ],
    [
      index('idx_lti_facts_consumer', ['consumer_guid', 'kind']),
      index('idx_lti_facts_context', ['consumer_guid', 'context_id']),
      index('idx_lti_facts_applied', ['kind', 'applied_id']),
    ],
  ],
  [
    'users',
    [
      id('id', true),
      string('lti_user_id', 255),
      text('name'),
      text('given_name'),
      text('family_name'),
      string('email', 320),
      text('roles'),
      string('login', 255),
      string('login_version', 160),
      string('sis_id', 255),
      string('sis_id_version', 160),
      time('last_seen_at', false),
    ],
    [index('idx_users_lti_user_id', ['lti_user_id'])],
  ],
];

export class LtiLaunches1763800000200 implements MigrationInterface {
  name = 'LtiLaunches1763800000200';

  async up(qr: QueryRunner): Promise<void> {
    for (const [name, columns, indices] of TABLES) {
      await qr.createTable(new Table({ name, columns, indices }));
      // As in the initial schema: utf8mb4 with exact (binary) comparison, as on SQLite.
      if (qr.connection.options.type === 'mysql') {
        await qr.query(`ALTER TABLE \`${name}\` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
      }
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const [name] of [...TABLES].reverse()) await qr.dropTable(name, true);
  }
}
