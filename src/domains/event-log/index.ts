import type { DomainModule } from '../../projection/domain-module';
import { EventLogResolver } from './event-log.resolver';

/** The read side of the event log. Its table (EventRecord) belongs to ingest, not to projections. */
export const eventLogModule: DomainModule = {
  name: 'event-log',
  entities: [],
  resolvers: [EventLogResolver],
};
export { eventsExport } from './event-log.export';
