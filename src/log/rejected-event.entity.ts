// What could not be taken as an event (unparseable, no envelope, bad signature) is still
// kept, with the reason it was refused, so nothing received is lost.
import { Column, Entity } from 'typeorm';
import { SequenceColumn, StringColumn, TimeColumn } from '../db/columns';

@Entity({ name: 'rejected_events' })
export class RejectedEvent {
  @SequenceColumn()
  id: string;

  @TimeColumn({ name: 'received_at', nullable: false })
  receivedAt: Date;

  /** The route it came in on: events, lti. */
  @StringColumn(32, { nullable: false })
  source: string;

  @StringColumn(255, { name: 'content_type' })
  contentType: string | null;

  @Column('text')
  reason: string;

  @Column('text')
  raw: string;
}
