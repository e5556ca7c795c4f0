// Every entity and migration of the service, for the DataSource (app, CLI, tests).
import { EventRecord } from '../ingest/event.entity';
import { RejectedEvent } from '../ingest/rejected-event.entity';
import { ReplayProgress } from '../ingest/replay-progress.entity';
import { projectionEntities } from '../domains';
import { migrations } from '../../migrations';

export const entities = [EventRecord, RejectedEvent, ReplayProgress, ...projectionEntities];
export { migrations };
