// A Canvas course as seen through events (context of live events) and LTI launches.
import { Entity } from 'typeorm';
import { ChangedSeqColumn, IdColumn, IdPrimaryColumn, StringColumn, TextColumn, TimeColumn } from '../../db/columns';

@Entity({ name: 'courses' })
export class Course {
  @IdPrimaryColumn()
  id: string;

  @IdColumn({ name: 'account_id' })
  accountId: string | null;

  @StringColumn(255, { name: 'sis_source_id' })
  sisSourceId: string | null;

  @TextColumn()
  title: string | null;

  @StringColumn(255, { name: 'course_code' })
  courseCode: string | null;

  @StringColumn(255, { name: 'lti_context_id' })
  ltiContextId: string | null;

  @TimeColumn({ name: 'first_seen_at', nullable: false })
  firstSeenAt: Date;

  @TimeColumn({ name: 'last_activity_at', nullable: false })
  lastActivityAt: Date;

  /** Version (see stateVersion) of the newest event that carried accountId or sisSourceId. */
  @StringColumn(160, { name: 'metadata_version' })
  metadataVersion: string | null;

  /** Version of the newest event that carried accountId (absent facts carry nothing). */
  @StringColumn(160, { name: 'account_id_version' })
  accountIdVersion: string | null;

  /** Version of the newest event that carried sisSourceId (an explicit null counts). */
  @StringColumn(160, { name: 'sis_source_id_version' })
  sisSourceIdVersion: string | null;

  /** Exports' change tracking: the log sequence of the last event that wrote this row (see db/columns.ts). */
  @ChangedSeqColumn()
  changedSeq: string | null;
}
