// What a domain folder contributes: its tables, its projectors, and (for the GraphQL
// schema) its resolvers. The ingest core and the schema builder see domains only
// through this shape, via the list in ./index.ts.
import type { ContextProjector, Projector } from '../ingest/projector';

export interface DomainModule {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  projectors?: Projector<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  contextProjectors?: ContextProjector[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers?: Function[];
}
