// The GraphQL endpoint: Apollo Server 5 on Express 5 at /graphql. CSRF prevention is on
// (a browser form or link cannot run a query); Apollo's landing page is off because it
// loads from a CDN — the IDE for browsers is served separately (./ide.ts).
import { ApolloServer, HeaderMap, HTTPGraphQLRequest } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import express, { Request, Response, Router } from 'express';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { ReadSources } from '../db/read-sources';
import type { Logger } from '../logger';
import { graphqlMetricsPlugin } from '../observability/graphql-metrics';
import type { Metrics } from '../observability/metrics';
import { accessOf } from '../security/access';
import { consistencyOf } from '../security/read-consistency';
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
  /** Where answers read from (read replicas); the primary `dataSource` alone when absent. */
  readSources?: ReadSources;
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
  const readSources = deps.readSources ?? new ReadSources(deps.dataSource);
  const router = express.Router();
  router.use(express.json({ limit: QUERY_BODY_LIMIT }), async (req: Request, res: Response) => {
    // The token check in front of this router (src/security) says who is asking and which
    // consistency it may have.
    const role = accessOf(res).roles.has('admin') ? 'admin' : 'reader';
    const consistency = consistencyOf(res);
    const request = httpRequestOf(req);
    const answerFrom = async (source = readSources.pick(consistency)) => {
      const context = createContext(source, role);
      const response = await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: request,
        context: async () => context,
      });
      return { source, context, response };
    };
    let answer = await answerFrom();
    // A replica that failed mid-answer leaves rotation; the answer is computed again, whole,
    // on the primary (reads only, so running it twice changes nothing).
    const unavailable = answer.context.outcome.databaseUnavailable;
    if (unavailable && readSources.failed(answer.source, unavailable)) {
      deps.logger.warn(
        { replica: answer.source.name, err: unavailable },
        'read replica unreachable: left rotation, answering from the primary',
      );
      answer = await answerFrom(readSources.primary);
    }
    const { response } = answer;
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.send(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  });
  return router;
}

/** Express's request as Apollo's transport-neutral one (as @as-integrations/express5 does it). */
function httpRequestOf(req: Request): HTTPGraphQLRequest {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const query = req.originalUrl.indexOf('?');
  return {
    method: req.method.toUpperCase(),
    headers,
    search: query >= 0 ? req.originalUrl.slice(query) : '',
    body: req.body,
  };
}
