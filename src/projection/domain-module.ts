// What a domain folder contributes: its tables, its projectors, and (for the GraphQL
// schema) its resolvers. The ingest core and the schema builder see domains only
// through this shape, via the list in src/modules.ts.
import type { ContextProjector, Projector } from './projector';

/** Configuration a projection depends on (replay applies the configuration of its own run). */
export interface ProjectionSettings {
  /** LTI_DEFAULT_SHARD: the shard of launches whose root account no live event has named yet. */
  ltiDefaultShard?: bigint | null;
  /** Tests: the projection store fails on every rule break (see src/projection/store.ts). */
  strict?: boolean;
}

/**
 * A table the domain owns (only its projectors and exported operations write it), and
 * whether it is keyed: read during ingest by primary key only, so its writes can be held
 * until the end of the transaction and sent as multi-row statements. A keyed table has
 * no unique key besides its primary key (the flush is an upsert); the store refuses any
 * query of it.
 */
export interface DomainTable {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entity: Function;
  keyed: boolean;
}

export interface DomainModule {
  name: string;
  entities: DomainTable[];
  /** The projectors, or a function that builds them for the configuration in force. */
  projectors?: Projector<any>[] | ((settings: ProjectionSettings) => Projector<any>[]); // eslint-disable-line @typescript-eslint/no-explicit-any
  /** What runs for every projected event, whatever its name (its course, its user, its root account). */
  contextProjectors?: ContextProjector[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers?: Function[];
}
