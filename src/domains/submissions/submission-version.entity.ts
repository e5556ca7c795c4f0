// One row per submission event: every state a submission was seen in, late ones too.
import { Column, Entity } from 'typeorm';
import {
  BoolColumn,
  FloatColumn,
  IdColumn,
  IntColumn,
  SequenceColumn,
  StringColumn,
  TimeColumn,
} from '../../db/columns';

@Entity({ name: 'submission_versions' })
export class SubmissionVersion {
  @SequenceColumn()
  id: string;

  @IdColumn({ name: 'submission_id', nullable: false })
  submissionId: string;

  @IdColumn({ name: 'event_id', nullable: false })
  eventId: string;

  @Column('varchar', { name: 'event_name', length: 255 })
  eventName: string;

  @TimeColumn({ name: 'event_time', nullable: false })
  eventTime: Date;

  /** The submission's own clock for this state: body.updated_at, else event_time. */
  @TimeColumn({ nullable: false })
  clock: Date;

  @IntColumn()
  attempt: number | null;

  @StringColumn(255)
  grade: string | null;

  @FloatColumn()
  score: number | null;

  @StringColumn(32, { name: 'workflow_state' })
  workflowState: string | null;

  @BoolColumn()
  late: boolean | null;

  @BoolColumn()
  missing: boolean | null;

  @TimeColumn({ name: 'submitted_at' })
  submittedAt: Date | null;

  @TimeColumn({ name: 'graded_at' })
  gradedAt: Date | null;

  @TimeColumn({ name: 'updated_at' })
  updatedAt: Date | null;
}
