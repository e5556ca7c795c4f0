// The Event type of the API: one entry of the raw event log, as received.
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { connectionType } from '../../graphql/pagination';

export enum EventStatusValue {
  PROJECTED = 'PROJECTED',
  UNPROJECTED = 'UNPROJECTED',
  INVALID = 'INVALID',
}

registerEnumType(EventStatusValue, {
  name: 'EventStatus',
  description: 'What the service did with a logged event.',
  valuesConfig: {
    PROJECTED: { description: 'Applied to the read models (courses, submissions, ...).' },
    UNPROJECTED: { description: 'Kept, but no projection knows its event type yet; replay applies it once one does.' },
    INVALID: { description: "Kept, but its body broke its type's schema (see error); replay retries it." },
  },
});

@ObjectType('Event', {
  description:
    'One event as the service received it: a Canvas live event (or an LTI launch), stored once however often it was delivered. ' +
    'The log is the source of truth the read models are built from.',
  simpleResolvers: true,
})
export class EventType {
  @Field(() => ID, { description: "The log's own sequence number: later arrivals have larger ids." })
  id: string;

  @Field(() => String, { description: 'The event type: metadata.event_name, or lti_launch.' })
  name: string;

  @Field(() => Date, { description: 'When Canvas says it happened (metadata.event_time).' })
  time: Date;

  @Field(() => Date, { description: 'When this service received it.' })
  receivedAt: Date;

  @Field(() => EventStatusValue, { description: 'Whether it was projected, kept unprojected, or kept as invalid.' })
  status: EventStatusValue;

  @Field(() => String, { nullable: true, description: 'Why the event is INVALID: the field path and what was wrong.' })
  error: string | null;
}

export const EventConnection = connectionType(EventType, 'Event', 'logged events');
