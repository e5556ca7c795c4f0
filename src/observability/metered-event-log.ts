// The event log as the HTTP routes and the SQS consumer use it: the same appends, each
// outcome counted in the ingest metrics by event name and status, and the arrival of the
// newest event noted per delivery. Imports and replays use the plain EventLog.
import type { DataSource } from 'typeorm';
import { CommitListener, EventLog, IncomingItem, IngestSource, ItemOutcome } from '../ingest/event-log';
import type { ProjectorRegistry } from '../projection/projector';
import type { Metrics } from './metrics';

export class MeteredEventLog extends EventLog {
  constructor(
    dataSource: DataSource,
    registry: ProjectorRegistry,
    private readonly metrics: Metrics,
    onCommitted: CommitListener | null = null,
  ) {
    super(dataSource, registry, onCommitted);
  }

  override async append(items: IncomingItem[], source: IngestSource, receivedAt?: Date): Promise<ItemOutcome[]> {
    const outcomes = await super.append(items, source, receivedAt);
    this.metrics.recordIngest(outcomes, source);
    return outcomes;
  }
}
