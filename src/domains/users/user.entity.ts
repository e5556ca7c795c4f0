// A Canvas user, known from LTI launches (name, email, roles, LTI user id) and from the
// metadata of live events they caused (login, SIS id). Personal data: see user.type.ts.
import { Entity, Index } from 'typeorm';
import { IdPrimaryColumn, StringColumn, TextColumn, TimeColumn } from '../../db/columns';

@Entity({ name: 'users' })
@Index('idx_users_lti_user_id', ['ltiUserId'])
export class User {
  @IdPrimaryColumn()
  id: string;

  /** user_id of the latest launch (opaque LTI id). */
  @StringColumn(255, { name: 'lti_user_id' })
  ltiUserId: string | null;

  @TextColumn()
  name: string | null;

  @TextColumn({ name: 'given_name' })
  givenName: string | null;

  @TextColumn({ name: 'family_name' })
  familyName: string | null;

  @StringColumn(320)
  email: string | null;

  /** roles of the latest launch, as sent (comma-separated LIS roles). */
  @TextColumn()
  roles: string | null;

  /** metadata.user_login of the newest live event this user caused. */
  @StringColumn(255)
  login: string | null;

  @StringColumn(160, { name: 'login_version' })
  loginVersion: string | null;

  /** metadata.user_sis_id of the newest live event this user caused. */
  @StringColumn(255, { name: 'sis_id' })
  sisId: string | null;

  @StringColumn(160, { name: 'sis_id_version' })
  sisIdVersion: string | null;

  /** Latest event time of a launch or a live event by this user. */
  @TimeColumn({ name: 'last_seen_at', nullable: false })
  lastSeenAt: Date;
}
