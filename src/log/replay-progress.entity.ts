// The single row that records how far a chunked replay has got.
import { Entity, PrimaryColumn } from 'typeorm';
import { IdColumn, TimeColumn } from '../db/columns';

@Entity({ name: 'replay_progress' })
export class ReplayProgress {
  @PrimaryColumn('integer')
  id: number;

  /** Events up to this sequence number are projected. */
  @IdColumn({ name: 'last_event_id', nullable: false })
  lastEventId: string;

  /** The log's last event when the replay began: where it stops. */
  @IdColumn({ name: 'until_event_id', nullable: false })
  untilEventId: string;

  @TimeColumn({ name: 'started_at', nullable: false })
  startedAt: Date;

  @TimeColumn({ name: 'finished_at' })
  finishedAt: Date | null;
}
