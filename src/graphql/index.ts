// The GraphQL endpoint: Apollo Server 5 on Express 5 at /graphql. CSRF prevention is on
// (a browser form cannot post a query); Apollo's landing page is off because it loads
// from a CDN — the IDE for browsers is served separately (./ide.ts).
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { Router } from 'express';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { createContext, GraphQLContext } from './context';
import { formatError } from './errors';
import { graphqlSchema } from './schema';

export interface GraphQLDependencies {
  config: Pick<Config, 'NODE_ENV'>;
  dataSource: DataSource;
  logger: Logger;
}

const QUERY_BODY_LIMIT = '1mb';

export async function graphqlRouter(deps: GraphQLDependencies): Promise<Router> {
  const development = deps.config.NODE_ENV === 'development';
  const server = new ApolloServer<GraphQLContext>({
    schema: await graphqlSchema(),
    csrfPrevention: true,
    introspection: true,
    includeStacktraceInErrorResponses: development,
    formatError: formatError({ logger: deps.logger, development }),
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  await server.start();
  const router = express.Router();
  router.use(
    express.json({ limit: QUERY_BODY_LIMIT }),
    expressMiddleware(server, { context: async () => createContext(deps.dataSource) }),
  );
  return router;
}
