// Appends received items to the event log and projects them, all in one transaction:
// an answered item is committed, and a failure leaves nothing half-written. Duplicates
// (same content hash) are stored once. Knows projectors only through the registry.
import { DataSource, EntityManager, In } from 'typeorm';
import { insertReturningId } from '../db/rows';
import { inTransaction } from '../db/transaction';
import { EnvelopedEvent } from './envelope';
import { EventRecord, EventStatus } from './event.entity';
import { canvasMetadata, describeIssues } from './fields';
import { ProjectedEvent, Projector, ProjectorRegistry } from './projector';
import { RejectedEvent } from './rejected-event.entity';

export type IncomingItem =
  | { kind: 'event'; event: EnvelopedEvent }
  | { kind: 'rejected'; raw: string; reason: string; /** the 4xx it earns when sent alone */ status: number };

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
}

type Classification =
  | { status: 'PROJECTED'; projector: Projector; event: Omit<ProjectedEvent<unknown>, 'sequence'> }
  | { status: 'UNPROJECTED' | 'INVALID'; error: string | null };

/** Decides what happens to an enveloped event: project it, keep it unprojected, or keep it as invalid. */
export function classify(
  registry: ProjectorRegistry,
  event: Pick<EnvelopedEvent, 'name' | 'time' | 'metadata' | 'body' | 'contentHash'>,
): Classification {
  const projector = registry.forEvent(event.name);
  if (!projector) return { status: 'UNPROJECTED', error: null };
  const metadata = canvasMetadata.safeParse(event.metadata);
  if (!metadata.success) return { status: 'INVALID', error: describeIssues(metadata.error, 'metadata') };
  const body = projector.body.safeParse(event.body);
  if (!body.success) return { status: 'INVALID', error: describeIssues(body.error, 'body') };
  return {
    status: 'PROJECTED',
    projector,
    event: {
      name: event.name,
      time: event.time,
      metadata: metadata.data,
      body: body.data,
      contentHash: event.contentHash,
    },
  };
}

/** Applies a classified event's projections inside `tx`. */
export async function project(
  registry: ProjectorRegistry,
  classification: Extract<Classification, { status: 'PROJECTED' }>,
  sequence: string,
  tx: EntityManager,
): Promise<void> {
  const event = { ...classification.event, sequence };
  await classification.projector.project(event, tx);
  for (const contextProjector of registry.contextProjectors) await contextProjector.project(event, tx);
}

const HASH_LOOKUP_CHUNK = 500;

export class EventLog {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: ProjectorRegistry,
  ) {}

  /** Stores and projects a batch atomically; returns one outcome per item, by index. */
  async append(items: IncomingItem[], source: IngestSource, receivedAt = new Date()): Promise<ItemOutcome[]> {
    return inTransaction(this.dataSource, async (tx) => {
      const known = await this.knownHashes(tx, items);
      const outcomes: ItemOutcome[] = [];
      for (const [index, item] of items.entries()) {
        if (item.kind === 'rejected') {
          const reason = wellFormed(item.reason);
          const id = await insertReturningId(tx, RejectedEvent, {
            receivedAt,
            source: source.route,
            contentType: source.contentType?.slice(0, 255) ?? null,
            reason,
            raw: item.raw,
          });
          outcomes.push({ index, status: 'rejected', id, reason });
          continue;
        }
        const { event } = item;
        const duplicateOf = known.get(event.contentHash);
        if (duplicateOf) {
          outcomes.push({ index, status: 'duplicate', id: duplicateOf, name: event.name });
          continue;
        }
        const classification = classify(this.registry, event);
        const error = classification.status === 'PROJECTED' ? null : wellFormed(classification.error);
        const id = await insertReturningId(tx, EventRecord, {
          contentHash: event.contentHash,
          name: event.name,
          time: event.time,
          receivedAt,
          status: classification.status,
          error,
          payload: event.payloadText,
        });
        known.set(event.contentHash, id);
        if (classification.status === 'PROJECTED') await project(this.registry, classification, id, tx);
        outcomes.push({
          index,
          status: outcomeOf(classification.status),
          id,
          name: event.name,
          ...(error ? { reason: error } : {}),
        });
      }
      return outcomes;
    });
  }

  private async knownHashes(tx: EntityManager, items: IncomingItem[]): Promise<Map<string, string>> {
    const hashes = [...new Set(items.flatMap((i) => (i.kind === 'event' ? [i.event.contentHash] : [])))];
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
