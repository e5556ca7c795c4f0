// Every entity and migration of the service, for the DataSource (app, CLI, tests).
import { EventRecord } from '../ingest/event.entity';
import { RejectedEvent } from '../ingest/rejected-event.entity';
import { projectionEntities } from '../domains';
import { migrations } from '../../migrations';

export const entities = [EventRecord, RejectedEvent, ...projectionEntities];
export { migrations };
