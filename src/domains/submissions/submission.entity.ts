// A submission's latest state (by its own clock, body.updated_at).
import { Entity } from 'typeorm';
import {
  BoolColumn,
  ChangedSeqColumn,
  FloatColumn,
  IdColumn,
  IdPrimaryColumn,
  IntColumn,
  StringColumn,
  TextColumn,
  TimeColumn,
} from '../../db/columns';

@Entity({ name: 'submissions' })
export class Submission {
  @IdPrimaryColumn()
  id: string;

  @IdColumn({ name: 'assignment_id' })
  assignmentId: string | null;

  @IdColumn({ name: 'user_id' })
  userId: string | null;

  @IdColumn({ name: 'course_id' })
  courseId: string | null;

  @IntColumn()
  attempt: number | null;

  @TextColumn()
  body: string | null;

  @StringColumn(255)
  grade: string | null;

  @FloatColumn()
  score: number | null;

  @BoolColumn()
  late: boolean | null;

  @BoolColumn()
  missing: boolean | null;

  @IdColumn({ name: 'group_id' })
  groupId: string | null;

  @StringColumn(255, { name: 'lti_assignment_id' })
  ltiAssignmentId: string | null;

  @StringColumn(255, { name: 'lti_user_id' })
  ltiUserId: string | null;

  @StringColumn(64, { name: 'submission_type' })
  submissionType: string | null;

  @TextColumn()
  url: string | null;

  @StringColumn(32, { name: 'workflow_state' })
  workflowState: string | null;

  @TimeColumn({ name: 'submitted_at' })
  submittedAt: Date | null;

  @TimeColumn({ name: 'graded_at' })
  gradedAt: Date | null;

  @TimeColumn({ name: 'updated_at' })
  updatedAt: Date | null;

  @StringColumn(160, { name: 'state_version' })
  stateVersion: string | null;

  /** When the grade was posted to the student (body.posted_at, current Canvas only). */
  @TimeColumn({ name: 'posted_at' })
  postedAt: Date | null;

  /**
   * Version of the newest event that carried posted_at (null or a time). Older Canvas
   * leaves the field out, so an event without it does not erase the value, in any
   * arrival order: a version of its own rather than stateVersion.
   */
  @StringColumn(160, { name: 'posted_at_version' })
  postedAtVersion: string | null;

  /**
   * Versions of the fields a Caliper event set after the newest Canvas-format state
   * (`{"userId": "<version>"}`, sorted keys); a field not named here is at stateVersion.
   */
  @TextColumn({ name: 'field_versions' })
  fieldVersions: string | null;

  /** Exports' change tracking: the log sequence of the last event that wrote this row (see db/columns.ts). */
  @ChangedSeqColumn()
  changedSeq: string | null;
}
