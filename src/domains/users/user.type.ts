// The User type of the API: a Canvas user as LTI launches and live events named them.
// Personal data (names, email, login, SIS id) is resolved in user.resolver.ts, where the
// caller's role decides whether it is shown.
import { Field, ID, ObjectType } from 'type-graphql';
import { connectionType } from '../../graphql/pagination';

@ObjectType('User', {
  description:
    'A Canvas user, known from the LTI launches they made (name, email, roles) and from the live events they caused ' +
    '(their login and SIS id in the event metadata). Personal data is returned to admin tokens only.',
  simpleResolvers: true,
})
export class UserType {
  @Field(() => ID, {
    description: 'Global Canvas id of the user (custom_canvas_user_id or metadata.user_id, widened).',
  })
  id: string;

  @Field(() => String, { nullable: true, description: 'Opaque LTI user id (user_id of the latest launch).' })
  ltiUserId: string | null;

  @Field(() => Date, {
    description: 'Event time of the latest launch or live event by this user, or enrollment event about them.',
  })
  lastSeenAt: Date;
}

export const UserConnection = connectionType(UserType, 'User', 'users');
