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
  /** CLOCK_SKEW_SECONDS: how far ahead of its arrival an event's clock may be and still win latest state. */
  clockSkewSeconds?: number;
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
  /**
   * The GraphQL resolvers, one home per GraphQL type: every field of a type the domain
   * owns (its `<type>.type.ts`, with its connection type) is resolved in that type's
   * `<type>.resolver.ts` in this folder — its queries, its local id (a base class from
   * graphql/local-id.ts), and its relations to other domains' types too: Course.submissions
   * lives in courses/, Submission.course in submissions/, Submission.user in submissions/.
   * No domain resolves fields of another domain's type. A relation reads the other domain
   * only through what that domain's index.ts exports (its loaders, GraphQL types and list
   * arguments) and names its types in thunks (`() => SubmissionConnection`,
   * `@Args(() => SubmissionsArgs)`), read when the schema is built: two domains may then
   * import each other (courses and submissions do), the one loaded first seeing the
   * other's exports only once both have loaded. Importing another domain's resolver file
   * directly would load a resolver before its own index.ts and break that.
   */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers?: Function[];
}
