// The Enrollment type of the API: a user's role in a course, in its latest state by its
// own clock (body.updated_at) over enrollment_created / _updated events. Its relations
// and personal data are resolved in enrollment.resolver.ts.
import { Field, ID, ObjectType } from 'type-graphql';
import { connectionType } from '../../graphql/pagination';

@ObjectType('Enrollment', {
  description: "A user's enrollment in a course, from enrollment_created / enrollment_updated.",
  simpleResolvers: true,
})
export class EnrollmentType {
  @Field(() => ID, { description: 'Global Canvas id of the enrollment (body.enrollment_id).' })
  id: string;

  @Field(() => ID, { description: 'Global id of the course (body.course_id).' })
  courseId: string;

  @Field(() => ID, { description: 'Global id of the enrolled user (body.user_id).' })
  userId: string;

  @Field(() => String, {
    nullable: true,
    description:
      'StudentEnrollment, TeacherEnrollment, TaEnrollment, DesignerEnrollment, ObserverEnrollment, ... (body.type).',
  })
  type: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The role's name (body.role) when the payload carries it; Canvas's documented payload does not.",
  })
  role: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      "Global id of the role (body.role_id) when the payload carries it; Canvas's documented payload does not.",
  })
  roleId: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'active, invited, creation_pending, inactive, completed, rejected, deleted (body.workflow_state).',
  })
  workflowState: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When Canvas created it (body.created_at; else the time of enrollment_created).',
  })
  createdAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When Canvas last changed it (body.updated_at, else the event time): the clock its state is chosen by.',
  })
  updatedAt: Date | null;
}

export const EnrollmentConnection = connectionType(EnrollmentType, 'Enrollment', 'enrollments');
