// While the database is unreachable a GraphQL answer says so: the error (shaped in
// ./errors.ts) has code SERVICE_UNAVAILABLE and a plain message, and the HTTP status is
// 503 with Retry-After, as for ingest, so clients and proxies know to retry rather than
// report a bug.
import type { ApolloServerPlugin } from '@apollo/server';

export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';
export const UNAVAILABLE_MESSAGE = 'The database is unavailable; retry later';
const RETRY_AFTER_SECONDS = '30';

export function unavailablePlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
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
