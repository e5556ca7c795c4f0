// A comment left on a submission (submission_comment_created).
import { Entity } from 'typeorm';
import { ChangedSeqColumn, IdColumn, IdPrimaryColumn, StringColumn, TextColumn, TimeColumn } from '../../db/columns';

@Entity({ name: 'submission_comments' })
export class SubmissionComment {
  @IdPrimaryColumn()
  id: string;

  @IdColumn({ name: 'submission_id', nullable: false })
  submissionId: string;

  @IdColumn({ name: 'author_id' })
  authorId: string | null;

  @TextColumn()
  body: string | null;

  /** Global attachment ids as a JSON array of strings. */
  @TextColumn({ name: 'attachment_ids', nullable: false })
  attachmentIds: string;

  @TimeColumn({ name: 'created_at' })
  createdAt: Date | null;

  @StringColumn(160, { name: 'state_version' })
  stateVersion: string | null;

  /** Exports' change tracking: the log sequence of the last event that wrote this row (see db/columns.ts). */
  @ChangedSeqColumn()
  changedSeq: string | null;
}
