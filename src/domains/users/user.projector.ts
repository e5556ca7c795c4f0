// Every live event names the user who caused it (metadata.user_id, a global id) with
// their login and SIS id: that user is created or refreshed here. Launch facts (name,
// email, roles) come from the LTI domain through recordUserLaunches: the users table is
// written by this domain only.
import { activityTime, ContextProjector, globalId, isNewer, stateVersion } from '../../projection/projector';
import type { ProjectionStore } from '../../projection/store';
import { later } from '../../canvas/time';
import { User } from './user.entity';

export const USERS_DOMAIN = 'users';

/** Records that a user was seen: creates the user if unknown, moves lastSeenAt forward, and applies `changes`. */
export async function recordUser(
  store: ProjectionStore,
  id: string,
  seenAt: Date,
  changes: (current: User | null) => Partial<User>,
): Promise<void> {
  const own = store.actingFor(USERS_DOMAIN);
  const current = await own.read(User, { id });
  await own.write(User, current, { id }, { lastSeenAt: later(current?.lastSeenAt, seenAt)!, ...changes(current) });
}

/** What the LTI launches applied to a user say of them (merged by the LTI domain). */
export type UserLaunches = Pick<User, 'ltiUserId' | 'name' | 'givenName' | 'familyName' | 'email' | 'roles'>;

/**
 * Records what launches say of a user; `lastLaunchedAt` null (no launch applied any
 * more) rewrites the facts of a known user and creates no one.
 */
export async function recordUserLaunches(
  store: ProjectionStore,
  id: string,
  launches: UserLaunches,
  lastLaunchedAt: Date | null,
): Promise<void> {
  if (lastLaunchedAt) return recordUser(store, id, lastLaunchedAt, () => launches);
  const own = store.actingFor(USERS_DOMAIN);
  const current = await own.read(User, { id });
  if (current) await own.write(User, current, { id }, launches);
}

const METADATA_FACTS = [
  ['user_login', 'login', 'loginVersion'],
  ['user_sis_id', 'sisId', 'sisIdVersion'],
] as const;

export const userContextProjector: ContextProjector = {
  rowsOf(event) {
    const userId = globalId(event, event.metadata.user_id);
    return userId ? [[User, userId]] : [];
  },
  async project(event, store) {
    const userId = globalId(event, event.metadata.user_id);
    if (!userId) return;
    const version = stateVersion(event);
    await recordUser(store, userId, activityTime(event), (current) => {
      const changes: Partial<User> = {};
      // Each fact is the value of the newest event that carried it: absent metadata
      // erases nothing, an explicit null in a newer event does.
      for (const [key, field, versionField] of METADATA_FACTS) {
        const value = event.metadata[key];
        if (value === undefined || !isNewer(version, current?.[versionField])) continue;
        changes[field] = value;
        changes[versionField] = version;
      }
      return changes;
    });
  },
};
