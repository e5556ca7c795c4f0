// Every projection table read back through its entity, in a form that does not depend
// on the order events arrived in: rows sorted by key, and history rows naming their
// event by content hash rather than by sequence number (which follows arrival order).
import { DataSource, ObjectLiteral, EntityTarget } from 'typeorm';
import { projectionEntities } from '../../src/domains';
import { Course } from '../../src/domains/courses/course.entity';
import { Conversation } from '../../src/domains/conversations/conversation.entity';
import { ConversationMessage } from '../../src/domains/conversations/conversation-message.entity';
import { ConversationParticipant } from '../../src/domains/conversations/conversation-participant.entity';
import { ResourceLink } from '../../src/domains/resource-links/resource-link.entity';
import { Submission } from '../../src/domains/submissions/submission.entity';
import { SubmissionComment } from '../../src/domains/submissions/submission-comment.entity';
import { SubmissionVersion } from '../../src/domains/submissions/submission-version.entity';
import { EventRecord } from '../../src/ingest/event.entity';
import { RejectedEvent } from '../../src/ingest/rejected-event.entity';

async function all<E extends ObjectLiteral>(ds: DataSource, entity: EntityTarget<E>): Promise<E[]> {
  return ds.getRepository(entity).find();
}

const byKey =
  (...keys: string[]) =>
  (a: ObjectLiteral, b: ObjectLiteral) => {
    for (const key of keys) {
      const x = String(a[key] instanceof Date ? a[key].toISOString() : a[key]);
      const y = String(b[key] instanceof Date ? b[key].toISOString() : b[key]);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };

export async function projectionSnapshot(ds: DataSource) {
  const hashOf = new Map((await all(ds, EventRecord)).map((e) => [e.id, e.contentHash]));
  const versions = (await all(ds, SubmissionVersion)).map(({ id: _id, eventId, ...rest }) => ({
    ...rest,
    event: hashOf.get(eventId) ?? `unknown event ${eventId}`,
  }));
  return {
    courses: (await all(ds, Course)).sort(byKey('id')),
    resourceLinks: (await all(ds, ResourceLink)).sort(byKey('id')),
    submissions: (await all(ds, Submission)).sort(byKey('id')),
    submissionVersions: versions.sort(byKey('submissionId', 'clock', 'event')),
    submissionComments: (await all(ds, SubmissionComment)).sort(byKey('id')),
    conversations: (await all(ds, Conversation)).sort(byKey('id')),
    conversationMessages: (await all(ds, ConversationMessage)).sort(byKey('id')),
    conversationParticipants: (await all(ds, ConversationParticipant)).sort(byKey('conversationId', 'userId')),
  };
}

/**
 * Empties the event log and every projection (DELETE, not TRUNCATE: cheap on MySQL), in
 * one transaction: one commit instead of one per table, which is most of the cost on MySQL.
 */
export async function clearEverything(ds: DataSource): Promise<void> {
  await ds.transaction(async (tx) => {
    for (const entity of [...projectionEntities, EventRecord, RejectedEvent]) {
      await tx.createQueryBuilder().delete().from(entity).execute();
    }
  });
}
