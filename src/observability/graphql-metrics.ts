// An Apollo Server plugin that records every GraphQL operation in the metrics: its name
// and type, how long it took to answer, and the codes of the errors it answered with.
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { BadInputError } from '../errors';
import type { Metrics } from './metrics';

export function graphqlMetricsPlugin(metrics: Metrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      const errorCodes: string[] = [];
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (typeof code === 'string') errorCodes.push(code);
            else
              errorCodes.push(
                unwrapResolverError(error) instanceof BadInputError ? 'BAD_USER_INPUT' : 'INTERNAL_SERVER_ERROR',
              );
          }
        },
        async willSendResponse(context) {
          metrics.recordGraphqlOperation({
            name: context.operationName ?? context.request.operationName ?? null,
            type: context.operation?.operation ?? null,
            seconds: Number(process.hrtime.bigint() - started) / 1e9,
            errorCodes,
          });
        },
      };
    },
  };
}
