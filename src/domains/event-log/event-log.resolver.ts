// The raw event log, read-only, in arrival order. Admin-only: it holds personal data
// (user logins, IPs, message metadata) that the read models leave out.
import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
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

  @FieldResolver(() => JSONScalar, {
    description:
      'The event exactly as received. Numbers too large for a double (ids sent as numbers) come as strings of their digits.',
  })
  payload(@Root() event: EventRecord): unknown {
    return losslessToPlain(parseLossless(event.payload));
  }
}
