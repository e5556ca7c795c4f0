// A user's enrollment in a course (a role in one of its sections), as enrollment_created /
// enrollment_updated describe it. Personal data: userName (see enrollment.resolver.ts).
import { Entity } from 'typeorm';
import { ChangedSeqColumn, IdColumn, IdPrimaryColumn, StringColumn, TextColumn, TimeColumn } from '../../db/columns';

@Entity({ name: 'enrollments' })
export class Enrollment {
  @IdPrimaryColumn()
  id: string;

  @IdColumn({ name: 'course_id', nullable: false })
  courseId: string;

  @IdColumn({ name: 'user_id', nullable: false })
  userId: string;

  @IdColumn({ name: 'course_section_id' })
  courseSectionId: string | null;

  /** StudentEnrollment, TeacherEnrollment, TaEnrollment, DesignerEnrollment, ObserverEnrollment, StudentViewEnrollment. */
  @StringColumn(64)
  type: string | null;

  /** body.role, when a payload carries it (Canvas's documented one does not). */
  @StringColumn(255)
  role: string | null;

  /** body.role_id, when a payload carries it. */
  @IdColumn({ name: 'role_id' })
  roleId: string | null;

  /** active, invited, creation_pending, inactive, completed, rejected, deleted. */
  @StringColumn(32, { name: 'workflow_state' })
  workflowState: string | null;

  /** body.user_name: personal data, answered to admin tokens only. */
  @TextColumn({ name: 'user_name' })
  userName: string | null;

  /** body.created_at, else the event time of enrollment_created. */
  @TimeColumn({ name: 'created_at' })
  createdAt: Date | null;

  /** body.updated_at, else the event time: the clock of the newest event applied. */
  @TimeColumn({ name: 'updated_at' })
  updatedAt: Date | null;

  /** Version (see stateVersion) of the newest enrollment event applied. */
  @StringColumn(160, { name: 'state_version' })
  stateVersion: string | null;

  /** Field → version of the newest event that carried it (../../projection/field-versions.ts). */
  @TextColumn({ name: 'field_versions' })
  fieldVersions: string | null;

  /** Exports' change tracking: the log sequence of the last event that wrote this row (see db/columns.ts). */
  @ChangedSeqColumn()
  changedSeq: string | null;
}
