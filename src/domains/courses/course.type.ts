// The Course type of the API: a Canvas course as this service has seen it, through the
// context of live events (metadata.context_*) and LTI launches (context_title, ...).
import { Field, ID, ObjectType } from 'type-graphql';
import { connectionType } from '../../graphql/pagination';

@ObjectType('Course', {
  description:
    'A Canvas course, known from the events that happened in it (their metadata names the course as context) ' +
    'and from LTI launches made in it. It exists here from the first such event on.',
  simpleResolvers: true,
})
export class CourseType {
  @Field(() => ID, { description: 'Global Canvas id of the course (shard × 10^13 + local id).' })
  id: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Global id of the account the course belongs to (metadata.context_account_id).',
  })
  accountId: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The course's SIS id, as Canvas reports it (metadata.context_sis_source_id).",
  })
  sisSourceId: string | null;

  @Field(() => String, { nullable: true, description: 'Course name, from LTI launches (context_title).' })
  title: string | null;

  @Field(() => String, { nullable: true, description: 'Short course code, from LTI launches (context_label).' })
  courseCode: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Opaque LTI context id of the course, from LTI launches (context_id).',
  })
  ltiContextId: string | null;

  @Field(() => Date, { description: 'Event time of the earliest event seen in this course.' })
  firstSeenAt: Date;

  @Field(() => Date, { description: 'Event time of the latest event seen in this course.' })
  lastActivityAt: Date;
}

export const CourseConnection = connectionType(CourseType, 'Course', 'courses');
