// A Canvas assignment as seen through assignment_created / _updated, or only through a
// submission's assignment_id (then just its id and course).
import { Entity, Index } from 'typeorm';
import {
  ChangedSeqColumn,
  FloatColumn,
  IdColumn,
  IdPrimaryColumn,
  StringColumn,
  TextColumn,
  TimeColumn,
} from '../../db/columns';

@Entity({ name: 'assignments' })
@Index('idx_assignments_course', ['courseId', 'id'])
export class Assignment {
  @IdPrimaryColumn()
  id: string;

  @IdColumn({ name: 'course_id' })
  courseId: string | null;

  @TextColumn()
  title: string | null;

  @TextColumn()
  description: string | null;

  @TimeColumn({ name: 'due_at' })
  dueAt: Date | null;

  @TimeColumn({ name: 'unlock_at' })
  unlockAt: Date | null;

  @TimeColumn({ name: 'lock_at' })
  lockAt: Date | null;

  @FloatColumn({ name: 'points_possible' })
  pointsPossible: number | null;

  /** As Canvas sends it: a comma-separated list ("online_url,online_upload"). */
  @TextColumn({ name: 'submission_types' })
  submissionTypes: string | null;

  @StringColumn(32, { name: 'workflow_state' })
  workflowState: string | null;

  /** body.created_at; when Canvas leaves it out (its documented payload does), the event time of assignment_created. */
  @TimeColumn({ name: 'created_at' })
  createdAt: Date | null;

  /** body.updated_at, else the event time: the clock of the newest assignment event applied. */
  @TimeColumn({ name: 'updated_at' })
  updatedAt: Date | null;

  /** The earliest event that named the assignment (its own, or a submission's). */
  @TimeColumn({ name: 'first_seen_at', nullable: false })
  firstSeenAt: Date;

  /** Version (see stateVersion) of the newest assignment event applied. */
  @StringColumn(160, { name: 'state_version' })
  stateVersion: string | null;

  /**
   * JSON object, keys sorted: field → version of the newest event that carried it. Absent
   * fields never erase and an explicit null does, so each field is the newest value sent
   * for it; one version for all would make the result depend on arrival order.
   */
  @TextColumn({ name: 'field_versions' })
  fieldVersions: string | null;

  /** Exports' change tracking: the log sequence of the last event that wrote this row (see db/columns.ts). */
  @ChangedSeqColumn()
  changedSeq: string | null;
}
