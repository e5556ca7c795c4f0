// The raw event log, read-only, in arrival order. Admin-only: it holds personal data
// (user logins, IPs, message metadata) that the read models leave out.
import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root, Subscription } from 'type-graphql';
import { LiveItem, liveUpdates, liveValue } from '../../graphql/live';
import { listArgument } from '../../graphql/arguments';
import { losslessToPlain, parseLossless } from '../../canvas/lossless-json';
import { GraphQLContext } from '../../graphql/context';
import { ForbiddenError } from '../../graphql/errors';
import { WithNode } from '../../graphql/node';
import { listPage, TopLevelList } from '../../graphql/pagination';
import { JSONScalar } from '../../graphql/scalars';
import { EventRecord } from '../../log/event.entity';
import { applyEventFilter, EventsArgs } from './event-log.args';
import { eventLogLoaders } from './event-log.loaders';
import { EventConnection, EventType } from './event.type';

const EVENTS: TopLevelList<EventRecord, EventsArgs> = {
  entity: EventRecord,
  order: { scope: 'events', field: null, direction: 'ASC' },
  filter: (qb, args) => applyEventFilter(qb, args.filter),
  loaders: eventLogLoaders,
};

function adminOnly(ctx: GraphQLContext): void {
  if (ctx.role !== 'admin') throw new ForbiddenError('the event log is for admin tokens only');
}

@Resolver(() => EventType)
export class EventLogResolver extends WithNode(EventType, {
  load: (ctx) => ctx.loaders.of(eventLogLoaders).byId,
  authorize: adminOnly,
  // The log's own sequence number, not a Canvas id: it has no shard.
  localId: false,
}) {
  @Query(() => EventConnection, {
    description:
      'The raw event log, in arrival order (ascending id). Admin tokens only: events carry personal data the read models leave out.',
  })
  events(@Args() args: EventsArgs, @Ctx() ctx: GraphQLContext) {
    adminOnly(ctx);
    return listPage(EVENTS, args, ctx);
  }

  @Subscription(() => EventType, {
    description:
      'Each event added to the log from now on (stored, invalid or unprojected), of these names (all when omitted). Admin tokens only. Over WebSocket (graphql-ws) at /graphql.',
    subscribe: ({ args, context }: { args: { names?: string[] | null }; context: GraphQLContext }) => {
      if (context.role !== 'admin') throw new ForbiddenError('the event log is for admin tokens only');
      const names = listArgument(args.names, 'names');
      const wanted = names ? new Set(names) : null;
      return liveUpdates(context, {
        wants: (event) => !wanted || wanted.has(event.name),
        select: async (event, loaders) => {
          const row = await loaders.of(eventLogLoaders).byId.load(event.sequence);
          return row ? [row] : [];
        },
      });
    },
  })
  eventLogged(
    @Root() update: LiveItem<EventRecord>,
    @Ctx() ctx: GraphQLContext,
    @Arg('names', () => [String], { nullable: true, description: 'Only events of these names; all when omitted.' })
    _names?: string[] | null,
  ) {
    return liveValue(update, ctx);
  }

  @FieldResolver(() => JSONScalar, {
    description:
      'The event exactly as received. Numbers too large for a double (ids sent as numbers) come as strings of their digits.',
  })
  payload(@Root() event: EventRecord): unknown {
    return losslessToPlain(parseLossless(event.payload));
  }
}
