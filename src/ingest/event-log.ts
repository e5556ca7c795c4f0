// Appends received items to the event log and projects them, all in one transaction:
// an answered item is committed, and a failure leaves nothing half-written. Duplicates
// (same content hash) are stored once. Knows projectors only through the registry.
import { DataSource, EntityManager, In } from 'typeorm';
import { insertReturningId, insertRows } from '../db/bulk-insert';
import { isDatabaseUnavailable } from '../db/availability';
import { inTransaction, isTransientConflict } from '../db/transaction';
import { withUnitOfWork } from '../projection/unit-of-work';
import { EnvelopedEvent } from './envelope';
import { EventRecord, EventStatus } from '../log/event.entity';
import { GroupCommit } from './group-commit';
import { ProjectorRegistry } from '../projection/projector';
import { Classification, classify, preloadRows, project } from '../projection/runner';
import { RejectedEvent } from '../log/rejected-event.entity';

export type IncomingItem =
  | { kind: 'event'; event: EnvelopedEvent }
  | {
      kind: 'rejected';
      raw: string;
      reason: string;
      /** the 4xx it earns when sent alone */
      status: number;
      /** A stranger's bounded record (refusals.ts): `raw` is a sample of this many bytes received. */
      receivedBytes?: number;
      itemCount?: number;
    };

export type ItemStatus = 'stored' | 'duplicate' | 'invalid' | 'unprojected' | 'rejected';

export interface ItemOutcome {
  index: number;
  status: ItemStatus;
  /** The event's sequence number in the log (or the rejected-events row). */
  id: string;
  name?: string;
  reason?: string;
}

export interface IngestSource {
  route: string;
  contentType: string | null;
  /** The sender's address, kept with refusals. */
  clientAddress?: string | null;
}

type Planned = { part: number; index: number; source: IngestSource; receivedAt: Date } & (
  | { kind: 'rejected'; item: Extract<IncomingItem, { kind: 'rejected' }> }
  | { kind: 'duplicate'; event: EnvelopedEvent }
  | { kind: 'new'; event: EnvelopedEvent; classification: Classification; error: string | null }
);

/** One caller's append: its items, where they came from, when they arrived. */
interface AppendPart {
  items: IncomingItem[];
  source: IngestSource;
  receivedAt: Date;
}

/**
 * Concurrent appends are committed together (group-commit.ts). Two groups at a time on
 * MySQL: while one waits for the database, the next is parsed and built (one at a time
 * left this process idle a third of the time; 16 single-event clients on MariaDB: 700 →
 * 880 events/s). More gain nothing: the groups of one instance touch the same course and
 * user rows and wait on each other's locks. (SQLite runs one transaction at a time
 * anyway: the second group waits in inTransaction's queue.) A group is capped like a
 * large batch. A group whose database is down, or whose conflict outlived its retries,
 * fails whole; any other failure is looked for part by part.
 */
const HASH_LOOKUP_CHUNK = 500;

const GROUP_COMMIT = {
  concurrency: 2,
  maxItems: 1000,
  isPartsFault: (error: unknown) => !isDatabaseUnavailable(error) && !isTransientConflict(error),
};

export class EventLog {
  private readonly groups = new GroupCommit<AppendPart, ItemOutcome[]>(
    (parts) => this.commit(parts),
    (part) => part.items.length,
    GROUP_COMMIT,
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: ProjectorRegistry,
  ) {}

  /**
   * Stores and projects a batch atomically (with the appends that arrive meanwhile, see
   * GROUP_COMMIT); returns one outcome per item, by index.
   */
  async append(items: IncomingItem[], source: IngestSource, receivedAt = new Date()): Promise<ItemOutcome[]> {
    if (items.length === 0) return [];
    return this.groups.submit({ items, source, receivedAt });
  }

  private commit(parts: AppendPart[]): Promise<ItemOutcome[][]> {
    return inTransaction(this.dataSource, (tx) =>
      withUnitOfWork(tx, this.registry.keyedEntities, () => this.appendIn(tx, parts)),
    );
  }

  private async appendIn(tx: EntityManager, parts: AppendPart[]): Promise<ItemOutcome[][]> {
    const known = await this.knownHashes(
      tx,
      parts.flatMap((p) => p.items),
    );
    // First occurrences of unknown hashes are new; a repeat (in any part) is a duplicate of the first.
    const fresh = new Set<string>();
    const plan: Planned[] = parts.flatMap(({ items, source, receivedAt }, part) =>
      items.map((item, index): Planned => {
        const at = { part, index, source, receivedAt };
        if (item.kind === 'rejected') return { ...at, kind: 'rejected', item };
        const { event } = item;
        if (known.has(event.contentHash) || fresh.has(event.contentHash)) return { ...at, kind: 'duplicate', event };
        fresh.add(event.contentHash);
        const classification = classify(this.registry, event);
        const error = classification.status === 'PROJECTED' ? null : wellFormed(classification.error);
        return { ...at, kind: 'new', event, classification, error };
      }),
    );
    const added = plan.filter((p): p is Extract<Planned, { kind: 'new' }> => p.kind === 'new');
    const ids = await this.insertEvents(
      tx,
      added.map(({ event, classification, error, receivedAt }) => ({
        contentHash: event.contentHash,
        name: event.name,
        time: event.time,
        receivedAt,
        status: classification.status,
        error,
        payload: event.payloadText,
      })),
    );
    for (const [hash, id] of ids) known.set(hash, id);
    await preloadRows(
      this.registry,
      added.flatMap((p) => (p.classification.status === 'PROJECTED' ? [p.classification] : [])),
      tx,
    );

    const outcomes: ItemOutcome[][] = parts.map(() => []);
    for (const planned of plan) {
      outcomes[planned.part].push(await this.store(tx, planned, known));
    }
    return outcomes;
  }

  /** Stores a planned item's rejection or projects its event; its outcome. */
  private async store(tx: EntityManager, planned: Planned, known: Map<string, string>): Promise<ItemOutcome> {
    const { index } = planned;
    if (planned.kind === 'rejected') {
      const reason = wellFormed(planned.item.reason);
      const id = await insertReturningId(tx, RejectedEvent, {
        receivedAt: planned.receivedAt,
        source: planned.source.route,
        contentType: planned.source.contentType?.slice(0, 255) ?? null,
        reason,
        raw: planned.item.raw,
        clientAddress: planned.source.clientAddress ?? null,
        receivedBytes: String(planned.item.receivedBytes ?? Buffer.byteLength(planned.item.raw)),
        itemCount: planned.item.itemCount ?? 1,
        // What retention's size cap counts (rejected-retention.ts).
        storedBytes: String(Buffer.byteLength(planned.item.raw) + Buffer.byteLength(reason)),
      });
      return { index, status: 'rejected', id, reason };
    }
    const { event } = planned;
    const id = known.get(event.contentHash)!;
    if (planned.kind === 'duplicate') return { index, status: 'duplicate', id, name: event.name };
    const { classification, error } = planned;
    if (classification.status === 'PROJECTED') await project(this.registry, classification, id, tx);
    return {
      index,
      status: outcomeOf(classification.status),
      id,
      name: event.name,
      ...(error ? { reason: error } : {}),
    };
  }

  /**
   * Multi-row INSERTs; returns the ids of new events by content hash. A lone row's id is
   * the insert id; the ids of a multi-row insert are read back by content hash (unique),
   * which holds whatever the database's auto-increment mode.
   */
  private async insertEvents(tx: EntityManager, rows: Partial<EventRecord>[]): Promise<Map<string, string>> {
    if (rows.length === 1) return new Map([[rows[0].contentHash!, await insertReturningId(tx, EventRecord, rows[0])]]);
    await insertRows(tx, EventRecord, rows);
    return this.idsOf(
      tx,
      rows.map((row) => row.contentHash!),
    );
  }

  private knownHashes(tx: EntityManager, items: IncomingItem[]): Promise<Map<string, string>> {
    return this.idsOf(tx, [...new Set(items.flatMap((i) => (i.kind === 'event' ? [i.event.contentHash] : [])))]);
  }

  private async idsOf(tx: EntityManager, hashes: string[]): Promise<Map<string, string>> {
    const known = new Map<string, string>();
    for (let start = 0; start < hashes.length; start += HASH_LOOKUP_CHUNK) {
      const rows = await tx.find(EventRecord, {
        select: { id: true, contentHash: true },
        where: { contentHash: In(hashes.slice(start, start + HASH_LOOKUP_CHUNK)) },
      });
      for (const row of rows) known.set(row.contentHash, row.id);
    }
    return known;
  }
}

/**
 * A reason quotes the offending input cut at a fixed length, which can split a UTF-16
 * surrogate pair (an emoji). The database stores a lone surrogate as U+FFFD, so the
 * reason kept would differ from the reason answered: replace it here, for both.
 */
function wellFormed<T extends string | null>(text: T): T {
  return (text?.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd') ??
    text) as T;
}

function outcomeOf(status: EventStatus): ItemStatus {
  return status === 'PROJECTED' ? 'stored' : status === 'INVALID' ? 'invalid' : 'unprojected';
}
