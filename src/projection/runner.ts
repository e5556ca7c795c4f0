// The projection runner that live ingest (event-log.ts) and replay share: decides what
// happens to an enveloped event (project it, keep it unprojected, keep it as invalid),
// reads the rows a batch's projections will touch in one statement per table, and runs
// an event's projector and the context projectors.
import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { canvasMetadata, describeIssues } from '../canvas/fields';
import { ProjectedEvent, Projector, ProjectorRegistry } from './projector';
import { unitOfWork } from './unit-of-work';

/** What classify needs of an event: its envelope's parts and its content hash. */
export interface ClassifiableEvent {
  name: string;
  time: Date;
  metadata: unknown;
  body: unknown;
  contentHash: string;
  /** When the log received it; without it every clock is believed. */
  receivedAt?: Date;
}

export type Classification =
  | { status: 'PROJECTED'; projector: Projector; event: Omit<ProjectedEvent<unknown>, 'sequence'> }
  | { status: 'UNPROJECTED' | 'INVALID'; error: string | null };

/** Decides what happens to an enveloped event: project it, keep it unprojected, or keep it as invalid. */
export function classify(registry: ProjectorRegistry, event: ClassifiableEvent): Classification {
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
      ...(event.receivedAt
        ? {
            receivedAt: event.receivedAt,
            clockLimit: new Date(event.receivedAt.getTime() + registry.clockSkewSeconds * 1000),
          }
        : {}),
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

/**
 * Reads (and on MySQL locks) in one statement per table every projection row the
 * projections of `events` name, tables and ids in a fixed order, so that two
 * transactions lock shared rows in the same order and each row is read once.
 */
export async function preloadRows(
  registry: ProjectorRegistry,
  events: Extract<Classification, { status: 'PROJECTED' }>[],
  tx: EntityManager,
): Promise<void> {
  const unit = unitOfWork(tx);
  if (!unit) return;
  const wanted = new Map<EntityTarget<ObjectLiteral>, string[]>();
  for (const { projector, event } of events) {
    const refs = [
      ...(projector.rowsOf?.(event) ?? []),
      ...registry.contextProjectors.flatMap((p) => p.rowsOf?.(event) ?? []),
    ];
    for (const [entity, id] of refs) {
      const ids = wanted.get(entity) ?? [];
      wanted.set(entity, ids);
      ids.push(id);
    }
  }
  const tables = [...wanted].map(([entity, ids]) => ({
    entity,
    ids,
    table: tx.connection.getMetadata(entity).tableName,
  }));
  tables.sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0));
  for (const { entity, ids } of tables) await unit.preload(entity, 'id', ids);
}
