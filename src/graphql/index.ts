// The GraphQL endpoint: Apollo Server 5 on Express 5 at /graphql. CSRF prevention is on
// (a browser form or link cannot run a query); Apollo's landing page is off because it
// loads from a CDN — the IDE for browsers is served separately (./ide.ts).
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { Router } from 'express';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { graphqlMetricsPlugin } from '../observability/graphql-metrics';
import type { Metrics } from '../observability/metrics';
import { accessOf } from '../security/access';
import { createContext, GraphQLContext } from './context';
import { formatError } from './errors';
import { MAX_QUERY_TOKENS, queryLimitsPlugin } from './limits';
import { graphqlSchema } from './schema';
import { enforceTimeBudgets, timeBudgetPlugin } from './time-budget';
import { unavailablePlugin } from './unavailable';

export interface GraphQLDependencies {
  config: Pick<
    Config,
    | 'NODE_ENV'
    | 'GRAPHQL_MAX_DEPTH'
    | 'GRAPHQL_MAX_ALIASES'
    | 'GRAPHQL_MAX_COST'
    | 'GRAPHQL_TIMEOUT_MS'
    | 'GRAPHQL_INTROSPECTION'
  >;
  dataSource: DataSource;
  logger: Logger;
  metrics?: Metrics;
  /** The domains' resolvers (from the composition root, src/modules.ts). */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: readonly Function[];
}

const QUERY_BODY_LIMIT = '1mb';

/**
 * Headers that show a request is not one a page on another site could make a browser send
 * unasked: a cross-origin page can only set them after a CORS preflight, which this
 * server answers for CORS_ORIGINS alone. Besides Apollo's own two, `Authorization`: every
 * client sends it with its token, so GET works with any client's default options (urql's,
 * graphql-request's). A request with a JSON content type needs none of them. Other headers
 * prove nothing: browsers, extensions and proxies add headers of their own (X-Forwarded-For,
 * Cache-Control, Sec-*), so "any header beyond the simple ones" would let a forged link
 * through behind nginx.
 */
export const CSRF_PROOF_HEADERS = ['authorization', 'apollo-require-preflight', 'x-apollo-operation-name'];

export async function graphqlRouter(deps: GraphQLDependencies): Promise<Router> {
  const development = deps.config.NODE_ENV === 'development';
  const server = new ApolloServer<GraphQLContext>({
    schema: enforceTimeBudgets(await graphqlSchema(deps.resolvers)),
    csrfPrevention: { requestHeaders: CSRF_PROOF_HEADERS },
    parseOptions: { maxTokens: MAX_QUERY_TOKENS },
    // On by default: exploring the schema in the IDE is a use. GRAPHQL_INTROSPECTION=false hides it.
    introspection: deps.config.GRAPHQL_INTROSPECTION,
    // One operation per HTTP request, so the limits below bound what one request costs.
    allowBatchedHttpRequests: false,
    // main.ts owns SIGTERM/SIGINT (graceful shutdown); Apollo's own handler would re-raise
    // the signal after stopping itself, cutting the requests still in flight.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: development,
    formatError: formatError({ logger: deps.logger, development }),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // We set no cache hints; the plugin would still wrap every field resolver (about 5 % of
      // the course-dashboard query's CPU in bench/NOTES.md's profile).
      ApolloServerPluginCacheControlDisabled(),
      queryLimitsPlugin({
        maxDepth: deps.config.GRAPHQL_MAX_DEPTH,
        maxAliases: deps.config.GRAPHQL_MAX_ALIASES,
        maxCost: deps.config.GRAPHQL_MAX_COST,
      }),
      timeBudgetPlugin({ budgetMs: deps.config.GRAPHQL_TIMEOUT_MS, logger: deps.logger }),
      ...(deps.metrics ? [graphqlMetricsPlugin(deps.metrics)] : []),
      unavailablePlugin(),
    ],
  });
  await server.start();
  const router = express.Router();
  router.use(
    express.json({ limit: QUERY_BODY_LIMIT }),
    // The token check in front of this router (src/security) says who is asking.
    expressMiddleware(server, {
      context: async ({ res }) => createContext(deps.dataSource, accessOf(res).roles.has('admin') ? 'admin' : 'reader'),
    }),
  );
  return router;
}
