// What could not be taken as an event (unparseable, no envelope, bad signature) is still
// kept, with the reason it was refused, so nothing an authenticated sender sent is lost.
// A stranger's refusal keeps only a bounded record: a sample of the body with its byte and
// item counts (src/ingest/refusals.ts). Kept for a while, within a size (rejected-retention.ts).
import { Column, Entity } from 'typeorm';
import { IdColumn, IntColumn, SequenceColumn, StringColumn, TimeColumn } from '../db/columns';

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

  /** The whole body, or for a stranger a sample of its start (see receivedBytes). */
  @Column('text')
  raw: string;

  /** Where it came from (the socket's address, or the trusted proxy's X-Forwarded-For). */
  @StringColumn(64, { name: 'client_address' })
  clientAddress: string | null;

  /** Bytes received; more than raw holds when only a sample was kept. */
  @IdColumn({ name: 'received_bytes' })
  receivedBytes: string | null;

  /** Items the body held, as far as it was read. */
  @IntColumn({ name: 'item_count' })
  itemCount: number | null;

  /** Bytes of raw and reason as kept: what the size cap of retention adds up. */
  @IdColumn({ name: 'stored_bytes', nullable: false })
  storedBytes: string;
}
