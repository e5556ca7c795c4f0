// What the domains' subscription resolvers use: start a stream of live updates for the
// operation's connection, and resolve each update with the loaders it was read with.
import { GraphQLError } from 'graphql';
import type { GraphQLContext } from '../context';
import type { LiveItem, LiveSelect } from './feed';

export type { LiveEvent, LiveItem, LiveRowChange, LiveSelect } from './feed';

/** The updates `select` picks from each committed event, for this subscription. */
export function liveUpdates<T>(context: GraphQLContext, select: LiveSelect<T>): AsyncIterable<LiveItem<T>> {
  if (!context.live) {
    throw new GraphQLError('subscriptions run over WebSocket: connect to /graphql with a graphql-ws client', {
      extensions: { code: 'BAD_REQUEST' },
    });
  }
  return context.live.feed.subscribe(context.live.connection, select);
}

/**
 * The value of one update. Its fields are read with the loaders shared by every
 * subscription of this instance for this event (fresh for each event: a subscription's
 * context outlives any one update, and loaders cache what they load).
 */
export function liveValue<T>(item: LiveItem<T>, context: GraphQLContext): T {
  context.loaders = item.loaders;
  return item.value;
}

/** Whether an event created (createdOnly) or changed a row of `table`: LiveSelect's `wants` of most subscriptions. */
export function touches(table: string, createdOnly = false) {
  return (event: { changes: ReadonlyArray<{ table: string; created: boolean }> }): boolean =>
    event.changes.some((c) => c.table === table && (!createdOnly || c.created));
}

/** The ids of `table`'s rows an event created (createdOnly) or created or changed. */
export function changedIds(
  event: { changes: ReadonlyArray<{ table: string; id: string; created: boolean }> },
  table: string,
  createdOnly = false,
): string[] {
  return event.changes.filter((c) => c.table === table && (!createdOnly || c.created)).map((c) => c.id);
}
