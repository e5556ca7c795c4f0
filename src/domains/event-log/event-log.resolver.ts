// The raw event log, read-only, in arrival order. Admin-only: it holds personal data
// (user logins, IPs, message metadata) that the read models leave out.
import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { connectionType, findPage, ListOrder, pageRequest } from '../../graphql/pagination';
import { GraphQLContext } from '../../graphql/context';
import { ForbiddenError } from '../../graphql/errors';
import { JSONScalar } from '../../graphql/scalars';
import { EventRecord } from '../../log/event.entity';
import { losslessToPlain, parseLossless } from '../../canvas/lossless-json';
import { applyEventFilter, EventsArgs } from './event-log.args';
import { EventType } from './event.type';

const EventConnection = connectionType(EventType, 'Event', 'logged events');

const ARRIVAL_ORDER: ListOrder = { scope: 'events', field: null, direction: 'ASC' };

@Resolver(() => EventType)
export class EventLogResolver {
  @Query(() => EventConnection, {
    description:
      'The raw event log, in arrival order (ascending id). Admin tokens only: events carry personal data the read models leave out.',
  })
  async events(@Args() args: EventsArgs, @Ctx() ctx: GraphQLContext) {
    if (ctx.role !== 'admin') throw new ForbiddenError('the event log is for admin tokens only');
    const request = pageRequest(args, ARRIVAL_ORDER);
    const qb = ctx.dataSource.createQueryBuilder(EventRecord, 'n');
    applyEventFilter(qb, args.filter);
    return findPage(qb, request);
  }

  @FieldResolver(() => JSONScalar, {
    description:
      'The event exactly as received. Numbers too large for a double (ids sent as numbers) come as strings of their digits.',
  })
  payload(@Root() event: EventRecord): unknown {
    return losslessToPlain(parseLossless(event.payload));
  }
}
