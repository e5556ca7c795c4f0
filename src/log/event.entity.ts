// The event log: every event received, once, exactly as it came. The source of truth
// that projections are built from (and rebuilt by replay).
import { Column, Entity } from 'typeorm';
import { SequenceColumn, TextColumn, TimeColumn } from '../db/columns';

export type EventStatus = 'PROJECTED' | 'UNPROJECTED' | 'INVALID';

@Entity({ name: 'events' })
export class EventRecord {
  @SequenceColumn()
  id: string;

  @Column('varchar', { name: 'content_hash', length: 64 })
  contentHash: string;

  @Column('varchar', { length: 255 })
  name: string;

  @TimeColumn({ name: 'event_time', nullable: false })
  time: Date;

  @TimeColumn({ name: 'received_at', nullable: false })
  receivedAt: Date;

  @Column('varchar', { length: 16 })
  status: EventStatus;

  @TextColumn()
  error: string | null;

  @Column('text')
  payload: string;
}
