// What a domain folder contributes: its tables, its projectors, and (for the GraphQL
// schema) its resolvers. The ingest core and the schema builder see domains only
// through this shape, via the list in ./index.ts.
import type { ContextProjector, Projector } from './projector';

/** Configuration a projection depends on (replay applies the configuration of its own run). */
export interface ProjectionSettings {
  /** LTI_DEFAULT_SHARD: the shard of launches whose root account no live event has named yet. */
  ltiDefaultShard?: bigint | null;
  /** CLOCK_SKEW_SECONDS: how far ahead of its arrival an event's clock may be and still win latest state. */
  clockSkewSeconds?: number;
}

export interface DomainModule {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  /** The projectors, or a function that builds them for the configuration in force. */
  projectors?: Projector<any>[] | ((settings: ProjectionSettings) => Projector<any>[]); // eslint-disable-line @typescript-eslint/no-explicit-any
  contextProjectors?: ContextProjector[];
  /**
   * Tables the projections read only by id, through findForUpdate: their writes may wait
   * for the end of the ingest transaction and go out as multi-row statements. A table
   * that any projection queries by other criteria must not be listed.
   */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  keyedEntities?: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers?: Function[];
}
