// Tells "the database cannot be reached right now" (connection refused, reset or lost,
// too many connections, pool closed) from every other failure, so callers can answer
// 503 + Retry-After instead of masking it as an internal error.

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'POOL_CLOSED',
  'SQLITE_BUSY',
  'SQLITE_CANTOPEN',
]);

/** True when `error` (or what it wraps: a TypeORM driverError, a cause) says the database is unreachable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as Record<string, unknown> | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code)) return true;
    // mysql2 marks errors that killed the connection as fatal.
    if (e.fatal === true) return true;
    if (typeof e.message === 'string' && /connection is in closed state|Connection lost/i.test(e.message)) return true;
    e = (e.driverError ?? e.cause ?? e.originalError) as Record<string, unknown> | undefined;
  }
  return false;
}
