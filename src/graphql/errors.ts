// How errors leave the API. Bad input (BadInputError, thrown anywhere below a resolver)
// becomes BAD_USER_INPUT naming the argument; GraphQL's own validation errors pass as
// they are; Apollo's own refusals of a request (a persisted query whose hash does not
// match its text) are the client's mistake, answered as they are and logged without a
// stack; a query stopped at its time limit is answered by ./time-budget.ts; anything else
// is a bug: logged in full, and answered with a generic message outside development so
// internals (SQL, paths, stack traces) never reach a client.
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { BadInputError } from '../errors';
import { isDatabaseUnavailable } from '../db/availability';
import type { Logger } from '../logger';
import { QUERY_TIMEOUT } from './time-budget';
import { SERVICE_UNAVAILABLE, UNAVAILABLE_MESSAGE } from './unavailable';

export class ForbiddenError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'FORBIDDEN' } });
  }
}

/** Codes of errors that describe the request, not the server: safe to show as they are. */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'FORBIDDEN',
  QUERY_TIMEOUT,
]);

/** Apollo's refusals of a request before it runs carry a 4xx HTTP status and no code of their own. */
function requestRefusal(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.path || error.extensions?.code !== undefined) return false;
  const status = (error.extensions?.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

export function formatError(options: { logger: Logger; development: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof BadInputError) {
      const argument = original.path ?? undefined;
      return {
        message: argument ? `Invalid argument "${argument}": ${original.detail}` : original.detail,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: 'BAD_USER_INPUT', ...(argument ? { argumentName: argument } : {}) },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) return formatted;
    if (requestRefusal(original)) {
      options.logger.info({ reason: formatted.message }, 'GraphQL request refused');
      return { message: formatted.message, extensions: { code: 'BAD_REQUEST' } };
    }
    // Not a bug but an outage: say so (./unavailable.ts turns the answer into a 503).
    if (isDatabaseUnavailable(original)) {
      options.logger.warn({ err: original, path: formatted.path }, 'GraphQL: the database is unavailable');
      return {
        message: UNAVAILABLE_MESSAGE,
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: SERVICE_UNAVAILABLE },
      };
    }
    options.logger.error({ err: original, path: formatted.path }, 'GraphQL resolver failed');
    if (options.development) return formatted;
    return {
      message: 'Internal server error',
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
