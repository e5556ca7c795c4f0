// Tells "the database cannot be reached right now" (connection refused, reset or lost,
// too many connections, pool closed) from every other failure, so callers can answer
// 503 + Retry-After instead of masking it as an internal error; and tells a value the
// database refuses (the fault of the item that carried it) from both.

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
    // A driver that rejects with a plain object reaches GraphQL as NonErrorThrown { thrownValue }.
    e = (e.driverError ?? e.cause ?? e.originalError ?? e.thrownValue) as Record<string, unknown> | undefined;
  }
  return false;
}

/**
 * Errors by which the database refuses one value (too long, out of range, not valid for
 * its column): the fault of the item that carried it, not of the database. Field bounds
 * (canvas/fields.ts) keep such values out; this is the net for any that get through.
 */
const DATA_ERROR_CODES = new Set([
  'ER_DATA_TOO_LONG',
  'ER_WARN_DATA_OUT_OF_RANGE',
  'ER_TRUNCATED_WRONG_VALUE',
  'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD',
  'WARN_DATA_TRUNCATED',
  'ER_WRONG_VALUE',
  'ER_WRONG_VALUE_FOR_TYPE',
  'ER_INVALID_JSON_TEXT',
  'ER_INVALID_JSON_TEXT_IN_PARAM',
  'ER_INVALID_CHARACTER_STRING',
  'ER_CANNOT_CONVERT_STRING',
  'ER_BAD_NULL_ERROR',
  'ER_DATETIME_FUNCTION_OVERFLOW',
  'SQLITE_TOOBIG',
  'SQLITE_MISMATCH',
  'SQLITE_CONSTRAINT_NOTNULL',
  'SQLITE_CONSTRAINT_CHECK',
]);

/** True when `error` (or what it wraps) is the database refusing a value, see DATA_ERROR_CODES. */
export function isDataError(error: unknown): boolean {
  for (let e = error as Record<string, unknown> | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string' && DATA_ERROR_CODES.has(e.code)) return true;
    e = (e.driverError ?? e.cause ?? e.originalError) as Record<string, unknown> | undefined;
  }
  return false;
}
