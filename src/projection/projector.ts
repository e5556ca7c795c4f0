// What a projector is, as the ingest core sees it: a body schema and a function that
// applies one validated event through the projection store of the transaction. Domains
// implement these; the core only looks them up by event name (several may share one).
import type { z } from 'zod';
import type { CanvasMetadata } from '../canvas/fields';
import { toGlobalId } from '../canvas/canvas-id';
import type { DomainModule, ProjectionSettings } from './domain-module';
import type { ProjectionStore, RowRef, StoreRules } from './store';

export interface ProjectedEvent<Body> {
  /** The event's sequence number in the log. */
  sequence: string;
  name: string;
  time: Date;
  metadata: CanvasMetadata;
  body: Body;
  /** Content hash: breaks ties between events with the same clock, so order never matters. */
  contentHash: string;
  /** When the log received it (kept in the log, so replay decides as live ingest did). */
  receivedAt?: Date;
  /** The latest clock believed: receivedAt + CLOCK_SKEW_SECONDS (see stateVersion). */
  clockLimit?: Date;
}

/** CLOCK_SKEW_SECONDS by default: a clock more than a day ahead of its arrival is wrong. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 86_400;

/**
 * Marks the version of an event whose clock is ahead of its arrival by more than the
 * allowed skew. Such an event (dated 9999) used to become the state for good: it stays in
 * the log and in history, but its version never beats one with a believable clock, and
 * it does not become state at all (see isNewer). "~" sorts after every digit, so the
 * earliest-wins comparisons (conversation_created) never pick it over a believable one.
 */
const FUTURE_CLOCK = '~';

/**
 * A comparable version for "latest state wins": the event's own clock (body.updated_at,
 * else event_time), then event_time, then the content hash. Fixed-width ISO strings
 * compare as instants, so the later version is simply the greater string.
 */
export function stateVersion(event: ProjectedEvent<unknown>, clock: Date = event.time): string {
  const version = `${clock.toISOString()}|${event.time.toISOString()}|${event.contentHash}`;
  return isAhead(event, clock) || isAhead(event, event.time) ? FUTURE_CLOCK + version : version;
}

/**
 * True when `incoming` should replace the state written at `current` (null = nothing
 * yet). A version from a clock too far ahead never replaces a believable one, nor
 * becomes the state of a row that has none; a believable one always replaces it.
 */
export function isNewer(incoming: string, current: string | null | undefined): boolean {
  const incomingAhead = incoming.startsWith(FUTURE_CLOCK);
  if (!current) return !incomingAhead;
  const currentAhead = current.startsWith(FUTURE_CLOCK);
  if (incomingAhead !== currentAhead) return currentAhead;
  return incoming > current;
}

/**
 * The instant an event counts as activity (course lastActivityAt, user lastSeenAt): its
 * clock, or when it was received if its clock is too far ahead (it cannot have happened
 * later than it arrived). Max/min of these is the same in any arrival order and replay.
 */
export function activityTime(event: ProjectedEvent<unknown>): Date {
  return isAhead(event, event.time) && event.receivedAt ? event.receivedAt : event.time;
}

function isAhead(event: Pick<ProjectedEvent<unknown>, 'clockLimit'>, clock: Date): boolean {
  return event.clockLimit !== undefined && clock.getTime() > event.clockLimit.getTime();
}

export type { RowRef } from './store';

export interface Projector<Body = unknown> {
  eventNames: readonly string[];
  body: z.ZodType<Body>;
  /** Applies one event through `store`, which acts for the projector's own domain. */
  project(event: ProjectedEvent<Body>, store: ProjectionStore): Promise<void>;
  /** The rows `project` will read by id, so a batch reads (and locks) them all at once, in order. Optional: a row not named is read when needed. */
  rowsOf?(event: Omit<ProjectedEvent<Body>, 'sequence'>): RowRef[];
  /**
   * Whether an event of its names is of the kind it projects, from the unparsed body: for
   * a name shared with kinds it does not know (Caliper's `Event:Created:Entity` is an
   * enrollment, an enrollment state, a group category, …). Absent: every event of its
   * names. An event no projector takes is kept UNPROJECTED, like one whose name none
   * knows: its body is not checked against this projector, and nothing (not even its
   * course and user) is projected.
   */
  takes?(body: unknown): boolean;
}

/** Runs for every projected event, whatever its name (e.g. its course). */
export interface ContextProjector {
  project(event: ProjectedEvent<unknown>, store: ProjectionStore): Promise<void>;
  rowsOf?(event: Omit<ProjectedEvent<unknown>, 'sequence'>): RowRef[];
}

/** A projector and the domain module it belongs to (the domain its store acts for). */
export interface Registered<P> {
  projector: P;
  domain: string;
}

export class ProjectorRegistry {
  private readonly byName = new Map<string, Registered<Projector>[]>();
  constructor(
    projectors: readonly Registered<Projector<any>>[], // eslint-disable-line @typescript-eslint/no-explicit-any
    readonly contextProjectors: readonly Registered<ContextProjector>[] = [],
    /** Keyed tables and table owners, for the projection store. */
    readonly rules: StoreRules = { keyed: new Set(), owners: new Map() },
    /** How far ahead of its arrival an event's clock is still believed (CLOCK_SKEW_SECONDS). */
    readonly clockSkewSeconds: number = DEFAULT_CLOCK_SKEW_SECONDS,
  ) {
    for (const registered of projectors) {
      for (const name of registered.projector.eventNames) {
        const list = this.byName.get(name) ?? [];
        this.byName.set(name, list);
        list.push(registered);
      }
    }
  }
  /** The projectors of an event that take it (see Projector.takes), in module order (none: the event is kept unprojected). */
  forEvent(name: string, body: unknown): readonly Registered<Projector>[] {
    return (this.byName.get(name) ?? []).filter(({ projector }) => projector.takes?.(body) ?? true);
  }
  get eventNames(): string[] {
    return [...this.byName.keys()].sort();
  }
}

/** A body id as a global id: local ids are widened with the shard of metadata.root_account_id. */
type WithMetadata = Pick<ProjectedEvent<unknown>, 'metadata'>;

export function globalId(event: WithMetadata, id: string): string;
export function globalId(event: WithMetadata, id: string | null | undefined): string | null | undefined;
export function globalId(event: WithMetadata, id: string | null | undefined): string | null | undefined {
  return id == null ? id : toGlobalId(id, event.metadata.root_account_id);
}

/** One registry of the projectors, context projectors and tables of `modules`. */
export function registryOf(modules: readonly DomainModule[], settings: ProjectionSettings = {}): ProjectorRegistry {
  const tables = modules.flatMap((m) => m.entities.map((table) => ({ ...table, domain: m.name })));
  return new ProjectorRegistry(
    modules.flatMap((m) =>
      (typeof m.projectors === 'function' ? m.projectors(settings) : (m.projectors ?? [])).map((projector) => ({
        projector,
        domain: m.name,
      })),
    ),
    modules.flatMap((m) => (m.contextProjectors ?? []).map((projector) => ({ projector, domain: m.name }))),
    {
      keyed: new Set(tables.filter((t) => t.keyed).map((t) => t.entity)),
      owners: new Map(tables.map((t) => [t.entity, t.domain])),
      strict: settings.strict ?? false,
    },
    settings.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS,
  );
}
