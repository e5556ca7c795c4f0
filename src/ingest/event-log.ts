// Appends received items to the event log and projects them, all in one transaction:
// an answered item is committed, and a failure leaves nothing half-written. Two steps:
// appending (duplicates by content hash stored once, rejections kept) and projecting
// the new events through the projection runner, as replay does. Knows projectors only
// through the registry.
import { DataSource, EntityManager, In } from 'typeorm';
import { insertReturningId, insertRows } from '../db/bulk-insert';
import { isDataError, isDatabaseUnavailable } from '../db/availability';
import { inTransaction, isSqlite, isTransientConflict } from '../db/transaction';
import { EnvelopedEvent } from './envelope';
import { EventRecord, EventStatus } from '../log/event.entity';
import { GroupCommit } from './group-commit';
import { nextTurn } from './json-array';
import { ProjectorRegistry } from '../projection/projector';
import { Classification, classify, projectAll, ProjectionWork } from '../projection/runner';
import { RejectedEvent } from '../log/rejected-event.entity';
import { enterLogWrite } from '../log/write-gate';
import type { RowChange } from '../projection/store';

/** An event a committed transaction added to the log, and the rows its projection created or changed. */
export interface CommittedEvent {
  sequence: string;
  name: string;
  changes: RowChange[];
}

/**
 * Told of each group's new events once its transaction has committed (never of a rolled
 * back one). Called synchronously: it must only hand them on (server.ts wires the live
 * updates' publisher), never wait, so a slow subscriber cannot slow ingest.
 */
export type CommitListener = (events: CommittedEvent[]) => void;

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

/** Items per transaction of a large request on SQLite (see append). */
export const SQLITE_CHUNK = 500;

/** Refused events looked for in one commit before the failure is taken as the database's own. */
const MAX_FAULTS_PER_COMMIT = 16;

/** Thrown to roll a trial commit back (findFault). */
const TRIAL_ROLLBACK = Symbol('trial rollback');

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
    private readonly onCommitted: CommitListener | null = null,
  ) {}

  /**
   * Stores and projects a batch atomically (with the appends that arrive meanwhile, see
   * GROUP_COMMIT); returns one outcome per item, by index.
   */
  async append(items: IncomingItem[], source: IngestSource, receivedAt = new Date()): Promise<ItemOutcome[]> {
    if (items.length === 0) return [];
    if (!isSqlite(this.dataSource) || items.length <= SQLITE_CHUNK)
      return this.groups.submit({ items, source, receivedAt });
    // better-sqlite3 runs a transaction without ever yielding: 70,000 events in one held
    // the event loop for 10 s (/healthz, GraphQL and every other request waited). In
    // chunks, each its own transaction, with a turn of the event loop between them.
    const outcomes: ItemOutcome[] = [];
    for (let start = 0; start < items.length; start += SQLITE_CHUNK) {
      if (start > 0) await nextTurn();
      const chunk = await this.groups.submit({ items: items.slice(start, start + SQLITE_CHUNK), source, receivedAt });
      for (const outcome of chunk) outcomes.push({ ...outcome, index: outcome.index + start });
    }
    return outcomes;
  }

  /**
   * Commits the parts; should the database refuse a value one event carries (see
   * isDataError), that event is found, kept as INVALID with the database's reason and
   * not projected, and the rest are committed again without it: one poison event no
   * longer fails its whole batch (which was answered 503 and retried by Canvas for ever).
   */
  private async commit(parts: AppendPart[]): Promise<ItemOutcome[][]> {
    const faults = new Map<IncomingItem, string>();
    for (;;) {
      let done: Awaited<ReturnType<EventLog['transaction']>>;
      try {
        done = await this.transaction(parts, faults);
      } catch (error) {
        if (!isDataError(error) || faults.size >= MAX_FAULTS_PER_COMMIT) throw error;
        const found = await this.findFault(parts, faults);
        if (!found) throw error;
        faults.set(found.item, found.reason);
        continue;
      }
      // Outside the try: the group is committed whatever the listener does.
      if (done.committed.length > 0) this.onCommitted?.(done.committed);
      return done.outcomes;
    }
  }

  /**
   * One group's transaction: append every part's items, then project the new events. A
   * trial is rolled back (by throwing TRIAL_ROLLBACK) after its last write. */
  private transaction(
    parts: AppendPart[],
    faults: ReadonlyMap<IncomingItem, string>,
    trial = false,
  ): Promise<{ outcomes: ItemOutcome[][]; committed: CommittedEvent[] }> {
    return inTransaction(this.dataSource, async (tx) => {
      await enterLogWrite(tx);
      const { outcomes, added, toProject } = await this.appendToLog(tx, parts, faults);
      const changes = await projectAll(this.registry, tx, toProject);
      if (trial) throw TRIAL_ROLLBACK;
      const committed = added.map(({ id, name }) => ({ sequence: id, name, changes: changes.get(id) ?? [] }));
      return { outcomes, committed };
    });
  }

  /**
   * The event whose projection the database refuses: halves the suspects, trying each
   * half alone in a transaction that is rolled back (about log2(n) + 1 of them, only on
   * this rare path; a savepoint per item would cost every batch). Null when no single
   * event fails alone (then the failure is nobody's in particular).
   */
  private async findFault(
    parts: AppendPart[],
    faults: ReadonlyMap<IncomingItem, string>,
  ): Promise<{ item: IncomingItem; reason: string } | null> {
    let suspects = parts.flatMap((p) => p.items.filter((item) => item.kind === 'event' && !faults.has(item)));
    while (suspects.length > 1) {
      const half = suspects.slice(0, Math.ceil(suspects.length / 2));
      suspects = (await this.failureOf(parts, half, faults)) ? half : suspects.slice(half.length);
    }
    const failure = suspects.length === 1 ? await this.failureOf(parts, suspects, faults) : null;
    return failure ? { item: suspects[0], reason: refusedReason(failure) } : null;
  }

  /** The data error of a trial commit of just `items` (rolled back either way), or null. */
  private async failureOf(
    parts: AppendPart[],
    items: IncomingItem[],
    faults: ReadonlyMap<IncomingItem, string>,
  ): Promise<unknown> {
    const only = new Set(items);
    const trial = parts
      .map((part) => ({ ...part, items: part.items.filter((item) => only.has(item)) }))
      .filter((part) => part.items.length > 0);
    try {
      await this.transaction(trial, faults, true);
    } catch (error) {
      if (error === TRIAL_ROLLBACK) return null;
      if (isDataError(error)) return error;
      throw error;
    }
    return null;
  }

  /**
   * The append step: events new to the log are inserted (classified, so their status is
   * stored with them; an event the database refused is INVALID), repeats answered as
   * duplicates of the stored event, rejected items kept. Returns each part's outcomes and
   * the new events to project, in arrival order.
   */
  private async appendToLog(
    tx: EntityManager,
    parts: AppendPart[],
    faults: ReadonlyMap<IncomingItem, string>,
  ): Promise<{ outcomes: ItemOutcome[][]; added: Array<{ id: string; name: string }>; toProject: ProjectionWork[] }> {
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
        const fault = faults.get(item);
        const classification: Classification = fault
          ? { status: 'INVALID', error: fault }
          : classify(this.registry, { ...event, receivedAt });
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

    const outcomes: ItemOutcome[][] = parts.map(() => []);
    for (const planned of plan) outcomes[planned.part].push(await this.outcomeOf(tx, planned, known));
    const toProject = added.flatMap(({ event, classification }) =>
      classification.status === 'PROJECTED' ? [{ classification, sequence: known.get(event.contentHash)! }] : [],
    );
    return {
      outcomes,
      added: added.map(({ event }) => ({ id: known.get(event.contentHash)!, name: event.name })),
      toProject,
    };
  }

  /** A planned item's outcome; a rejected item is kept in rejected_events here. */
  private async outcomeOf(tx: EntityManager, planned: Planned, known: Map<string, string>): Promise<ItemOutcome> {
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

/** What a refused event is kept with: the database's own words (they name the column). */
function refusedReason(error: unknown): string {
  const e = error as { code?: string; message?: string; driverError?: { code?: string; sqlMessage?: string } };
  const code = e.driverError?.code ?? e.code ?? 'data error';
  const message = (e.driverError?.sqlMessage ?? e.message ?? '').slice(0, 300);
  return `the database refused a value of this event (${code}: ${message}); kept unprojected, replay retries it`;
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
