// Live updates inside one instance: every committed event arrives here from the channel
// (./channel.ts: in memory, or Redis so that every instance hears every instance's
// ingest), and is handed to each subscription of this instance. A subscription picks
// what it wants of an event (`select`: the rows it names that match its filter) through
// a LoaderSet shared by every subscription of this instance for that event, so a row is
// read once per event per instance, not once per subscriber.
//
// Handing on never waits for a subscriber: each subscription has a queue, and the queues
// of one connection together are bounded; a connection whose client does not keep up is
// dropped (closed with a message saying why) rather than slowing ingest or growing memory.
import { GraphQLError } from 'graphql';
import type { DataSource } from 'typeorm';
import { createLoaders, LoaderSet } from '../context';

/** A row a committed event created or changed (the ingest side's RowChange). */
export interface LiveRowChange {
  table: string;
  id: string;
  created: boolean;
}

/** A committed event as the channel carries it. */
export interface LiveEvent {
  sequence: string;
  name: string;
  changes: LiveRowChange[];
}

/** What a subscription yields per item: the value its field resolves to and the loaders it was read with. */
export interface LiveItem<T> {
  value: T;
  loaders: LoaderSet;
}

/**
 * What a subscription selects of one event: `wants` says at once (no reading) whether
 * the event can concern it, e.g. whether it changed a row of its table: most events are
 * never queued for most subscriptions; `select` then reads and filters the items to send.
 */
export interface LiveSelect<T> {
  wants(event: LiveEvent): boolean;
  select(event: LiveEvent, loaders: LoaderSet): Promise<T[]>;
}

/** One WebSocket connection's share: its pending updates are counted together. */
export interface LiveConnection {
  /** Most updates waiting for this connection's client, all its subscriptions together. */
  readonly queueLimit: number;
  pending: number;
  /** Subscriptions open on this connection, and how many may be. */
  subscriptions: number;
  readonly maxSubscriptions: number;
  /** Closes the connection; called once when the queue overflows. */
  drop(reason: string): void;
}

/** The live updates a subscription field resolver may start (on the GraphQL context of a WebSocket operation). */
export interface LiveSession {
  feed: LiveFeed;
  connection: LiveConnection;
}

export class LiveFeed {
  private readonly listeners = new Set<(event: LiveEvent, loaders: () => LoaderSet) => void>();

  constructor(
    private readonly dataSource: DataSource,
    /** Most subscriptions this instance serves at once. */
    private readonly maxSubscriptions: number,
  ) {}

  /** How many subscriptions this instance serves now. */
  get size(): number {
    return this.listeners.size;
  }

  /** Hands one event to every subscription of this instance (called by the channel). */
  deliver(event: LiveEvent): void {
    for (const listener of this.listeners) listener(event, () => this.loadersOfThisTurn());
  }

  /**
   * The loaders of the events delivered in this turn of the event loop (a commit group's
   * events arrive together): a subscription that finds several queued selects them at
   * once, so their rows are read in one statement per table. Fresh every turn: each read
   * happens after the commits of the events it serves, so it sees their newest state.
   */
  private turnLoaders: LoaderSet | null = null;

  private loadersOfThisTurn(): LoaderSet {
    if (!this.turnLoaders) {
      this.turnLoaders = createLoaders(this.dataSource);
      setImmediate(() => (this.turnLoaders = null));
    }
    return this.turnLoaders;
  }

  /**
   * A subscription's stream: what `select` picks of each event from now on, until the
   * consumer stops (return()) or the connection is dropped.
   */
  subscribe<T>(connection: LiveConnection, { wants, select }: LiveSelect<T>): AsyncIterableIterator<LiveItem<T>> {
    if (connection.subscriptions >= connection.maxSubscriptions) {
      throw tooMany(`this connection already has ${connection.maxSubscriptions} subscriptions, the most it may have`);
    }
    if (this.listeners.size >= this.maxSubscriptions) {
      throw tooMany(`this server already serves ${this.maxSubscriptions} subscriptions, the most it may; try later`);
    }
    connection.subscriptions += 1;
    const queue: Array<{ event: LiveEvent; loaders: LoaderSet }> = [];
    let wake: (() => void) | null = null;
    let done = false;
    const listener = (event: LiveEvent, loaders: () => LoaderSet) => {
      if (done || !wants(event)) return;
      if (connection.pending >= connection.queueLimit) {
        connection.drop(
          `too slow: more than ${connection.queueLimit} updates were waiting for this connection; reconnect to resume`,
        );
        return;
      }
      connection.pending += 1;
      queue.push({ event, loaders: loaders() });
      wake?.();
    };
    const finish = () => {
      if (done) return;
      done = true;
      this.listeners.delete(listener);
      connection.subscriptions -= 1;
      connection.pending -= queue.length;
      queue.length = 0;
      wake?.();
    };
    this.listeners.add(listener);
    const ready: LiveItem<T>[] = [];
    const iterator: AsyncIterableIterator<LiveItem<T>> = {
      next: async () => {
        while (!done) {
          const item = ready.shift();
          if (item) return { value: item, done: false };
          if (queue.length === 0) {
            await new Promise<void>((resolve) => (wake = resolve));
            wake = null;
            continue;
          }
          // Every queued event at once: their reads are batched (see loadersOfThisTurn).
          const batch = queue.splice(0);
          connection.pending -= batch.length;
          const selected = await Promise.all(batch.map(({ event, loaders }) => select(event, loaders)));
          batch.forEach(({ loaders }, i) => {
            for (const value of selected[i]) ready.push({ value, loaders });
          });
        }
        return { value: undefined, done: true };
      },
      return: async () => {
        finish();
        return { value: undefined, done: true };
      },
      throw: async (error: unknown) => {
        finish();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }
}

function tooMany(message: string): GraphQLError {
  return new GraphQLError(`Subscription refused: ${message}.`, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } });
}
