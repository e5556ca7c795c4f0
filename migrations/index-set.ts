// A migration that only adds indexes: plain CREATE INDEX / DROP INDEX, valid on both
// databases (TypeORM's own index helpers may rebuild a SQLite table).
import { MigrationInterface, QueryRunner } from 'typeorm';

export type IndexSpec = [name: string, table: string, columns: string[]];

/** The up and down of a migration that creates `indexes` (and drops them, last first). */
export function indexSet(indexes: readonly IndexSpec[]): Pick<MigrationInterface, 'up' | 'down'> {
  return {
    async up(qr: QueryRunner): Promise<void> {
      for (const [name, table, columns] of indexes)
        await qr.query(`CREATE INDEX ${name} ON ${table} (${columns.join(', ')})`);
    },
    async down(qr: QueryRunner): Promise<void> {
      const mysql = qr.connection.options.type === 'mysql';
      for (const [name, table] of [...indexes].reverse())
        await qr.query(mysql ? `DROP INDEX ${name} ON ${table}` : `DROP INDEX ${name}`);
    },
  };
}
