// Every live event names the user who caused it (metadata.user_id, a global id) with
// their login and SIS id: that user is created or refreshed here. Launch facts (name,
// email, roles) are written by the LTI projection through seeUser.
import { EntityManager } from 'typeorm';
import { findForUpdate, writeRow } from '../../projection/rows';
import { activityTime, ContextProjector, globalId, isNewer, stateVersion } from '../../projection/projector';
import { later } from '../../canvas/time';
import { User } from './user.entity';

/** Creates the user if unknown, moves lastSeenAt forward, and applies `changes`. */
export async function seeUser(
  tx: EntityManager,
  id: string,
  seenAt: Date,
  changes: (current: User | null) => Partial<User>,
): Promise<void> {
  const current = await findForUpdate(tx, User, { id });
  await writeRow(tx, User, current, { id }, { lastSeenAt: later(current?.lastSeenAt, seenAt)!, ...changes(current) });
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
  async project(event, tx) {
    const userId = globalId(event, event.metadata.user_id);
    if (!userId) return;
    const version = stateVersion(event);
    await seeUser(tx, userId, activityTime(event), (current) => {
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
