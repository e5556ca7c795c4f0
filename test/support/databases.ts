// One suite, two databases: every integration test runs on SQLite, and also on MySQL
// when TEST_MYSQL_URL is set. Each run gets a fresh database it creates and drops.
// With TEST_MYSQL_URL set and the server unreachable, the MySQL tests fail; never skip.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { openDataSource } from '../../src/db/data-source';
import { createScratchMysqlDatabase, ScratchDatabase } from '../../src/db/scratch-database';
import { entities, migrations } from '../../src/modules';

export type DatabaseKind = 'sqlite' | 'mysql';

/** True for a COMMIT among the statements a TestDatabase saw. */
export const isCommit = (sql: string) => /^\s*COMMIT\b/i.test(sql);

export const databaseKinds: DatabaseKind[] = process.env.TEST_MYSQL_URL ? ['sqlite', 'mysql'] : ['sqlite'];

export interface TestDatabase {
  kind: DatabaseKind;
  url: string;
  dataSource: DataSource;
  /** Statements seen since the last reset (every SQL the DataSource ran). */
  statements: string[];
  drop(): Promise<void>;
}

/** Creates an empty database of `kind` (migrated unless told otherwise) and a DataSource on it. */
export async function createTestDatabase(
  kind: DatabaseKind,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const statements: string[] = [];
  const onQuery = (sql: string) => statements.push(sql);
  if (kind === 'sqlite') {
    const dataSource = await openDataSource({
      url: 'sqlite::memory:',
      entities,
      migrations,
      onQuery,
      migrate: options.migrate,
    });
    statements.length = 0;
    return { kind, url: 'sqlite::memory:', dataSource, statements, drop: () => dataSource.destroy() };
  }
  const { url, drop } = await createMysqlDatabase();
  const dataSource = await openDataSource({ url, entities, migrations, onQuery, migrate: options.migrate });
  statements.length = 0;
  return {
    kind,
    url,
    dataSource,
    statements,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await drop();
    },
  };
}

/** A fresh, empty MySQL database next to TEST_MYSQL_URL's; `drop` removes it. */
export async function createMysqlDatabase(): Promise<ScratchDatabase> {
  const base = process.env.TEST_MYSQL_URL;
  if (!base) throw new Error('TEST_MYSQL_URL is not set');
  return createScratchMysqlDatabase(base, `t_${process.pid}`);
}

/**
 * describe() once per database kind, with a fresh migrated database for the block.
 * `db()` gives the current block's database.
 */
export function describeEachDatabase(title: string, body: (db: () => TestDatabase) => void): void {
  for (const kind of databaseKinds) {
    describe(`${title} [${kind}]`, () => {
      let current: TestDatabase | undefined;
      beforeAll(async () => {
        current = await createTestDatabase(kind);
      });
      afterAll(async () => {
        await current?.drop();
      });
      body(() => {
        if (!current) throw new Error('test database not ready');
        return current;
      });
    });
  }
}
