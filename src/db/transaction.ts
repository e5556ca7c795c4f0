// Runs work in one database transaction, retried when the database says the conflict is
// transient (deadlock, lock wait, a row inserted meanwhile by another instance, SQLite
// busy). SQLite has one connection, so its transactions are queued here: TypeORM would
// otherwise interleave two BEGINs on it.
import { DataSource, EntityManager } from 'typeorm';

const RETRYABLE_MYSQL = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'ER_DUP_ENTRY']);
// Two instances taking the same burst (duplicates racing, every event touching the same
// course and user rows) deadlock often; 5 quick attempts were not always enough and the
// request was answered 503. 10 attempts with exponential backoff and jitter wait about
// 3 s in all (under 5 s at worst), well inside Canvas's 15 s timeout.
const MAX_ATTEMPTS = 10;
const MAX_BACKOFF_MS = 1000;

const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

export function isSqlite(dataSource: DataSource): boolean {
  return dataSource.options.type === 'better-sqlite3';
}

export function isTransientConflict(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code;
  return (code !== undefined && RETRYABLE_MYSQL.has(code)) || code === 'SQLITE_BUSY';
}

export async function inTransaction<T>(dataSource: DataSource, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  if (isSqlite(dataSource)) return queued(dataSource, () => withRetry(() => dataSource.transaction(work)));
  return withRetry(() => dataSource.transaction('READ COMMITTED', work));
}

async function withRetry<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= MAX_ATTEMPTS || !isTransientConflict(error)) throw error;
      const backoff = Math.min(MAX_BACKOFF_MS, 10 * 2 ** (tries - 1)) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, backoff));
    }
  }
}

function queued<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const next = previous.then(work, work);
  sqliteQueues.set(
    dataSource,
    next.catch(() => undefined),
  );
  return next;
}
