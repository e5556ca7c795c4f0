// The projection runner that live ingest (event-log.ts) and replay share: decides what
// happens to an enveloped event (project it, keep it unprojected, keep it as invalid),
// and projects a transaction's events through one projection store: the rows they name
// read in one statement per table, each event's projectors then the context projectors,
// the held writes sent at the end.
import { EntityManager } from 'typeorm';
import { canvasMetadata, describeIssues } from '../canvas/fields';
import { isCaliperEventName } from '../canvas/caliper';
import { ProjectedEvent, Projector, ProjectorRegistry, Registered } from './projector';
import { ProjectionStore, RowChange, RowRef } from './store';

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

/** One projector of an event, with the body as its schema parsed it. */
export interface Projection {
  registered: Registered<Projector>;
  body: unknown;
}

export type Classification =
  | {
      status: 'PROJECTED';
      projections: Projection[];
      /** The event (its body as the first projector parsed it), for the context projectors. */
      event: Omit<ProjectedEvent<unknown>, 'sequence'>;
    }
  | { status: 'UNPROJECTED' | 'INVALID'; error: string | null };

export type ProjectedClassification = Extract<Classification, { status: 'PROJECTED' }>;

/**
 * Decides what happens to an enveloped event: project it, keep it unprojected (no
 * projector takes it), or keep it as invalid (its metadata, or its body by any of
 * its projectors' schemas, is wrong: the first error in module order is the reason).
 */
export function classify(registry: ProjectorRegistry, event: ClassifiableEvent): Classification {
  const registered = registry.forEvent(event.name, event.body);
  if (registered.length === 0) return { status: 'UNPROJECTED', error: null };
  const metadata = canvasMetadata.safeParse(event.metadata);
  if (!metadata.success) return { status: 'INVALID', error: describeIssues(metadata.error, 'metadata') };
  const projections: Projection[] = [];
  for (const r of registered) {
    const body = r.projector.body.safeParse(event.body);
    // A Caliper event is its own body: its paths start at the event (object.id, not body.object.id).
    const where = isCaliperEventName(event.name) ? '' : 'body';
    if (!body.success) return { status: 'INVALID', error: describeIssues(body.error, where) };
    projections.push({ registered: r, body: body.data });
  }
  return {
    status: 'PROJECTED',
    projections,
    event: {
      name: event.name,
      time: event.time,
      metadata: metadata.data,
      body: projections[0].body,
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

/** A classified event and its sequence number in the log. */
export interface ProjectionWork {
  classification: ProjectedClassification;
  sequence: string;
}

/**
 * Projects `events`, in the order given, inside the transaction `tx`, through one
 * projection store with a unit of work: the rows they name are read first (one statement
 * per table, in a fixed order), and the writes held for keyed tables go out at the end.
 * Returns the rows each event created or changed, by its sequence number (live updates
 * announce them once the transaction commits).
 */
export async function projectAll(
  registry: ProjectorRegistry,
  tx: EntityManager,
  events: readonly ProjectionWork[],
): Promise<Map<string, RowChange[]>> {
  const store = ProjectionStore.withUnitOfWork(tx, registry.rules);
  await store.preload(events.flatMap(({ classification }) => rowsOf(registry, classification)));
  const changes = new Map<string, RowChange[]>();
  for (const { classification, sequence } of events) {
    await projectOne(registry, store, classification, sequence);
    changes.set(sequence, store.takeChanges());
  }
  await store.flush();
  return changes;
}

/** Applies one classified event's projectors, then the context projectors, through `store`. */
async function projectOne(
  registry: ProjectorRegistry,
  store: ProjectionStore,
  classification: ProjectedClassification,
  sequence: string,
): Promise<void> {
  const event = { ...classification.event, sequence };
  store.projecting(sequence);
  for (const { registered, body } of classification.projections) {
    await registered.projector.project({ ...event, body }, store.actingFor(registered.domain));
  }
  for (const { projector, domain } of registry.contextProjectors)
    await projector.project(event, store.actingFor(domain));
}

/** The rows an event's projections name, for preloading. */
function rowsOf(registry: ProjectorRegistry, classification: ProjectedClassification): RowRef[] {
  const { event, projections } = classification;
  return [
    ...projections.flatMap(({ registered, body }) => registered.projector.rowsOf?.({ ...event, body }) ?? []),
    ...registry.contextProjectors.flatMap(({ projector }) => projector.rowsOf?.(event) ?? []),
  ];
}
