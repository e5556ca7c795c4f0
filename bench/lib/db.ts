// Databases for the benchmarks: a fresh one per bench run (MySQL `bench_<random>` next to
// BENCH_MYSQL_URL, or an SQLite file in a temp directory), migrated, dropped at the end;
// plus the bare-driver side of the "raw limit": copy every row of every table out, and
// write them back with multi-row INSERTs in 1,000-event transactions.
import 'reflect-metadata';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, Connection, RowDataPacket } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { openDataSource } from '../../src/db/data-source';
import { createScratchMysqlDatabase } from '../../src/db/scratch-database';
import { entities, migrations } from '../../src/modules';

export type Store = 'mysql' | 'sqlite';

export const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306/test';

export interface BenchDatabase {
  store: Store;
  url: string;
  /** Removes the database (or file). */
  drop(): Promise<void>;
}

export async function createBenchDatabase(store: Store): Promise<BenchDatabase> {
  if (store === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'bench-'));
    return {
      store,
      url: `sqlite:${join(dir, 'events.sqlite')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const scratch = await createScratchMysqlDatabase(process.env.BENCH_MYSQL_URL ?? DEFAULT_MYSQL_URL, 'bench');
  return { store, ...scratch };
}

/** A migrated DataSource on the bench database, optionally counting statements. */
export function benchDataSource(url: string, onQuery?: (sql: string) => void, migrate = true): Promise<DataSource> {
  return openDataSource({ url, entities, migrations, onQuery, migrate });
}

/** A bare driver connection: no ORM, values as the database holds them. */
export interface RawConnection {
  tables(): Promise<string[]>;
  /** Every row of `table`, as arrays in `columns` order. */
  rows(table: string): Promise<{ columns: string[]; rows: unknown[][] }>;
  /** Runs `work` in one transaction. */
  transaction(work: () => Promise<void> | void): Promise<void>;
  insertRows(table: string, columns: string[], rows: unknown[][]): Promise<void> | void;
  query(sql: string, params?: unknown[]): Promise<unknown[]>;
  /** Empties every table except the migrations bookkeeping and the log write gate. */
  truncateAll(): Promise<void>;
  close(): Promise<void>;
}

// log_write_gate: the one row exports' cursor locks (src/log/write-gate.ts), made by its migration.
const KEEP = new Set(['migrations', 'typeorm_metadata', 'log_write_gate']);

export async function rawConnection(url: string): Promise<RawConnection> {
  return url.startsWith('sqlite:') ? sqliteRaw(url.slice('sqlite:'.length)) : mysqlRaw(url);
}

async function mysqlRaw(url: string): Promise<RawConnection> {
  const conn: Connection = await createConnection({
    uri: url,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
  });
  // A connection the server closes while idle (database dropped, server gone) says so here;
  // unheard, that 'error' event would crash the process. The next query fails with the reason.
  conn.on('error', () => undefined);
  const tables = async () => {
    const [rows] = await conn.query<RowDataPacket[]>('SHOW TABLES');
    return rows.map((r) => String(Object.values(r)[0])).filter((t) => !KEEP.has(t));
  };
  return {
    tables,
    async rows(table) {
      const [rows, fields] = await conn.query({ sql: `SELECT * FROM \`${table}\``, rowsAsArray: true });
      return { columns: (fields as { name: string }[]).map((f) => f.name), rows: rows as unknown[][] };
    },
    async transaction(work) {
      await conn.query('START TRANSACTION');
      try {
        await work();
        await conn.query('COMMIT');
      } catch (error) {
        await conn.query('ROLLBACK');
        throw error;
      }
    },
    async insertRows(table, columns, rows) {
      if (rows.length === 0) return;
      await conn.query(`INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES ?`, [rows]);
    },
    async query(sql, params) {
      const [rows] = await conn.query(sql, params);
      return rows as unknown[];
    },
    async truncateAll() {
      for (const table of await tables()) await conn.query(`TRUNCATE TABLE \`${table}\``);
    },
    close: () => conn.end(),
  };
}

async function sqliteRaw(path: string): Promise<RawConnection> {
  const db = new Database(path);
  db.defaultSafeIntegers(true);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  const tables = async () =>
    (
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as {
        name: string;
      }[]
    )
      .map((r) => r.name)
      .filter((t) => !KEEP.has(t));
  const statements = new Map<string, Database.Statement>();
  return {
    tables,
    async rows(table) {
      const stmt = db.prepare(`SELECT * FROM "${table}"`).raw(true);
      return { columns: stmt.columns().map((c) => c.name), rows: stmt.all() as unknown[][] };
    },
    async transaction(work) {
      db.exec('BEGIN');
      try {
        await work();
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    insertRows(table, columns, rows) {
      // SQLite caps bound parameters per statement (32,766): split wide chunks.
      const perStatement = Math.max(1, Math.floor(32_000 / columns.length));
      for (let start = 0; start < rows.length; start += perStatement) {
        const slice = rows.slice(start, start + perStatement);
        const key = `${table}:${slice.length}`;
        let stmt = statements.get(key);
        if (!stmt) {
          const tuple = `(${columns.map(() => '?').join(', ')})`;
          stmt = db.prepare(
            `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${Array(slice.length).fill(tuple).join(', ')}`,
          );
          statements.set(key, stmt);
        }
        stmt.run(slice.flat());
      }
    },
    async query(sql, params) {
      const stmt = db.prepare(sql);
      return stmt.reader ? (stmt.all(...(params ?? [])) as unknown[]) : (stmt.run(...(params ?? [])), []);
    },
    async truncateAll() {
      for (const table of await tables()) db.exec(`DELETE FROM "${table}"`);
      if (db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'`).get())
        db.exec('DELETE FROM sqlite_sequence');
    },
    close: async () => void db.close(),
  };
}

export interface Snapshot {
  tables: Array<{ table: string; columns: string[]; rows: unknown[][] }>;
  events: number;
}

/** Every row of every table: the state ingest produced, for the raw path to write again. */
export async function snapshot(raw: RawConnection): Promise<Snapshot> {
  const tables: Snapshot['tables'] = [];
  for (const table of await raw.tables()) tables.push({ table, ...(await raw.rows(table)) });
  return { tables, events: tables.find((t) => t.table === 'events')?.rows.length ?? 0 };
}

/**
 * The raw limit: the snapshot's rows written with one multi-row INSERT per table per
 * transaction, each transaction carrying 1,000 events' worth of rows of every table.
 */
export async function writeSnapshot(raw: RawConnection, snap: Snapshot, eventsPerTransaction = 1000): Promise<void> {
  const chunks = Math.max(1, Math.ceil(snap.events / eventsPerTransaction));
  for (let i = 0; i < chunks; i++) {
    await raw.transaction(async () => {
      for (const t of snap.tables) {
        const from = Math.floor((i * t.rows.length) / chunks);
        const to = Math.floor(((i + 1) * t.rows.length) / chunks);
        if (to > from) await raw.insertRows(t.table, t.columns, t.rows.slice(from, to));
      }
    });
  }
}
