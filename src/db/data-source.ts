// Builds the TypeORM DataSource for either store from one URL:
//   sqlite:<path>            embedded default (better-sqlite3), `sqlite::memory:` for tests
//   mysql://user:pw@host/db  production (MySQL 8 / MariaDB 10.11)
import { DataSource, DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type DatabaseKind = 'mysql' | 'sqlite';

export interface DataSourceInput {
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** Log every SQL statement through this function (tests count statements with it). */
  onQuery?: (sql: string) => void;
  poolSize?: number;
}

export function databaseKind(url: string): DatabaseKind {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('mysql://')) return 'mysql';
  throw new Error(`DATABASE_URL must start with sqlite: or mysql:// (got "${url.split(':')[0]}:…")`);
}

export function dataSourceOptions(input: DataSourceInput): DataSourceOptions {
  const logger = input.onQuery
    ? {
        logQuery: (sql: string) => input.onQuery!(sql),
        logQueryError: () => undefined,
        logQuerySlow: () => undefined,
        logSchemaBuild: () => undefined,
        logMigration: () => undefined,
        log: () => undefined,
      }
    : undefined;
  const common = {
    entities: input.entities,
    migrations: input.migrations,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: input.onQuery ? (['query'] as ['query']) : false,
    logger,
  };
  if (databaseKind(input.url) === 'sqlite') {
    const path = input.url.slice('sqlite:'.length) || ':memory:';
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database: path,
      // Integers as BigInt so 64-bit ids keep every digit; columns convert at one boundary.
      prepareDatabase: (db: { defaultSafeIntegers(on: boolean): void; pragma(s: string): unknown }) => {
        db.defaultSafeIntegers(true);
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        db.pragma('busy_timeout = 5000');
      },
    } as DataSourceOptions;
  }
  return {
    ...common,
    type: 'mysql',
    url: input.url,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    poolSize: input.poolSize ?? 10,
    extra: { decimalNumbers: true },
  };
}

export async function openDataSource(input: DataSourceInput & { migrate?: boolean }): Promise<DataSource> {
  const dataSource = new DataSource(dataSourceOptions(input));
  await dataSource.initialize();
  if (input.migrate !== false) await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

interface MysqlPoolHandle {
  on(event: 'connection', listener: (connection: MysqlConnectionHandle) => void): void;
  _allConnections?: { toArray(): MysqlConnectionHandle[] };
}

interface MysqlConnectionHandle {
  query(sql: string, callback: (error: Error | null) => void): unknown;
}

/**
 * A read replica's DataSource, not yet connected (ReadSources connects it at its first check,
 * and again later if the replica was down: a replica down at start does not stop the service).
 * No migrations run there, and every connection is a read-only session (`SET SESSION
 * TRANSACTION READ ONLY`), so not even a user whose privileges pass the server's `read_only`
 * (root does) can write there and break replication.
 */
export function replicaDataSource(input: Omit<DataSourceInput, 'migrations'>): DataSource {
  if (databaseKind(input.url) !== 'mysql') throw new Error('read replicas are MySQL/MariaDB only');
  return new DataSource(dataSourceOptions({ ...input, migrations: [] }));
}

/** Connects a replicaDataSource and makes each of its connections a read-only session. */
export async function connectReplica(dataSource: DataSource): Promise<void> {
  await dataSource.initialize();
  const pool = (dataSource.driver as unknown as { pool: MysqlPoolHandle }).pool;
  // Standard SQL both servers accept; a failure would surface as the connection's next error.
  const readOnly = (connection: MysqlConnectionHandle) =>
    connection.query('SET SESSION TRANSACTION READ ONLY', () => undefined);
  // Statements on one connection run in order, so the session is read-only before any read.
  pool.on('connection', readOnly);
  // The connection initialize() opened to test the pool was made before the listener.
  for (const connection of pool._allConnections?.toArray() ?? []) readOnly(connection);
}
