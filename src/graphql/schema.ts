// Builds the executable GraphQL schema from the domains' resolvers, and prints it in the
// stable, sorted form committed as schema.graphql (a test fails when the two drift).
import { GraphQLObjectType, GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema, BuildSchemaOptions } from 'type-graphql';
import { callFieldResolversDirectly } from './direct-resolvers';
import { NodeResolver } from './node';
import { DateTimeScalar } from './scalars';

let built: Promise<GraphQLSchema> | undefined;

/**
 * The schema of these resolvers (the composition root's); built once per process
 * (type-graphql's metadata is global anyway, so a second set could not differ).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function graphqlSchema(resolvers: readonly Function[]): Promise<GraphQLSchema> {
  if (!built) {
    const options: BuildSchemaOptions = {
      // The Node queries are the API's own; the domains' types join them through WithNode (./node.ts).
      resolvers: [NodeResolver, ...resolvers] as [Function, ...Function[]], // eslint-disable-line @typescript-eslint/no-unsafe-function-type
      scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
      // Arguments are checked where they are used (ids, page sizes); no class-validator.
      validate: false,
      // Required by type-graphql once a Subscription exists, but unused: every subscription
      // names its own `subscribe` (live updates, ./live), none subscribes to topics.
      pubSub: {
        publish: () => undefined,
        subscribe: () => {
          throw new Error('subscriptions use ./live, not type-graphql topics');
        },
      },
    };
    built = buildSchema(options)
      .then((schema) => callFieldResolversDirectly(schema, options))
      .then(describeQueryType);
  }
  return built;
}

/** type-graphql cannot describe the root Query type; every type of ours has a description. */
function describeQueryType(schema: GraphQLSchema): GraphQLSchema {
  const config = schema.toConfig();
  const query = schema.getQueryType()!;
  const subscription = schema.getSubscriptionType();
  return new GraphQLSchema({
    ...config,
    types: config.types.filter((type) => type !== query && type !== subscription),
    subscription: subscription
      ? new GraphQLObjectType({
          ...subscription.toConfig(),
          description:
            'Live updates over WebSocket at /graphql (the graphql-ws protocol), authenticated by connectionParams { authorization: "Bearer <token>" }, under the same limits and personal-data rules as queries.',
        })
      : undefined,
    query: new GraphQLObjectType({
      ...query.toConfig(),
      description:
        'Read access to what Canvas live events have told this service: courses, LTI resource links, submissions ' +
        '(with comments and history), inbox conversations, and the raw event log. Ids are global Canvas ids as decimal strings.',
    }),
  });
}

const HEADER = '# The GraphQL API of this service. Emitted by `npm run schema` from the code: do not edit by hand.\n\n';

/** schema.graphql's text: sorted by name so it only changes when the API does. */
export function printSchemaText(schema: GraphQLSchema): string {
  return `${HEADER}${printSchema(lexicographicSortSchema(schema))}\n`;
}
