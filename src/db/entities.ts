// Every entity and migration of the service, for the DataSource (app, CLI, tests).
import { EventRecord } from '../ingest/event.entity';
import { RejectedEvent } from '../ingest/rejected-event.entity';
import { ReplayProgress } from '../ingest/replay-progress.entity';
import { LtiNonce } from '../lti/lti-nonce.entity';
import { projectionEntities } from '../domains';
import { migrations } from '../../migrations';

// LtiNonce is ingest state (replay never clears it), not a projection.
export const entities = [EventRecord, RejectedEvent, ReplayProgress, LtiNonce, ...projectionEntities];
export { migrations };
