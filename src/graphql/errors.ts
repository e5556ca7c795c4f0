// How errors leave the API. Bad input (BadInputError, thrown anywhere below a resolver)
// becomes BAD_USER_INPUT naming the argument; GraphQL's own validation errors pass as
// they are; anything else is a bug: logged in full, and answered with a generic message
// outside development so internals (SQL, paths, stack traces) never reach a client.
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { BadInputError } from '../errors';
import { isDatabaseUnavailable } from '../db/availability';
import type { Logger } from '../logger';
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
]);

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
