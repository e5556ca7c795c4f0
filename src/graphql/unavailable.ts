// While the database is unreachable a GraphQL answer says so: the error (shaped in
// ./errors.ts) has code SERVICE_UNAVAILABLE and a plain message, and the HTTP status is
// 503 with Retry-After, as for ingest, so clients and proxies know to retry rather than
// report a bug.
import type { ApolloServerPlugin } from '@apollo/server';
import { isDatabaseUnavailable } from '../db/availability';
import type { GraphQLContext } from './context';

export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';
export const UNAVAILABLE_MESSAGE = 'The database is unavailable; retry later';
const RETRY_AFTER_SECONDS = '30';

export function unavailablePlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        // Kept on the context so the HTTP layer can compute the answer again on the primary
        // when it was a read replica that failed (./index.ts).
        async didEncounterErrors({ contextValue, errors }) {
          const unreachable = errors.find((e) => isDatabaseUnavailable(e));
          if (unreachable) contextValue.outcome.databaseUnavailable ??= unreachable;
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const errors = response.body.singleResult.errors ?? [];
          if (!errors.some((e) => e.extensions?.code === SERVICE_UNAVAILABLE)) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', RETRY_AFTER_SECONDS);
        },
      };
    },
  };
}
