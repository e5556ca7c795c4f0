// conversation_created / _forwarded / conversation_message_created → conversations,
// their messages and participants. A message before its conversation creates the
// conversation; the conversation's updatedAt is the latest body.updated_at seen.
import { z } from 'zod';
import { canvasId, instant, optionalNullable } from '../../canvas/fields';
import { globalId, isNewer, ProjectedEvent, Projector, stateVersion } from '../../projection/projector';
import type { ProjectionStore } from '../../projection/store';
import { later } from '../../canvas/time';
import { Conversation } from './conversation.entity';
import { ConversationMessage } from './conversation-message.entity';
import { ConversationParticipant } from './conversation-participant.entity';

const conversationBody = z.looseObject({
  conversation_id: canvasId,
  updated_at: optionalNullable(instant),
});

const messageBody = z.looseObject({
  message_id: canvasId,
  conversation_id: canvasId,
  author_id: optionalNullable(canvasId),
  created_at: optionalNullable(instant),
});

export const CONVERSATIONS_DOMAIN = 'conversations';

async function addParticipant(store: ProjectionStore, conversationId: string, userId: string | null | undefined) {
  if (!userId) return;
  await store.insertUnlessPresent(ConversationParticipant, { conversationId, userId }, ['conversation_id', 'user_id']);
}

/** What a message event adds to its conversation: one more message (when new), posted at createdAt. */
interface NewMessage {
  isNew: boolean;
  createdAt: Date | null;
}

/**
 * Records what an event says of its conversation. Every merge is min/max or
 * earliest/newest version, so the row is the same in any arrival order: updatedAt and
 * lastMessageAt are maxima, the course is the one of the earliest event naming one, the
 * count grows once per message row created.
 */
async function recordConversation(
  store: ProjectionStore,
  id: string,
  event: ProjectedEvent<unknown>,
  updatedAt: Date | null | undefined,
  message?: NewMessage,
): Promise<void> {
  const current = await store.read(Conversation, { id });
  const changes: Partial<Conversation> = {
    updatedAt: later(current?.updatedAt, updatedAt),
    lastMessageAt: later(current?.lastMessageAt, message?.createdAt),
    messageCount: (current?.messageCount ?? 0) + (message?.isNew ? 1 : 0),
  };
  const version = stateVersion(event);
  if (event.name === 'conversation_created') {
    // The earliest conversation_created wins: it is when the conversation began.
    if (!current?.createdVersion || version < current.createdVersion) {
      Object.assign(changes, {
        createdVersion: version,
        createdAt: event.time,
        startedById: globalId(event, event.metadata.user_id) ?? null,
      });
    }
  }
  const courseId = courseOf(event);
  if (courseId && (!current?.courseVersion || version < current.courseVersion)) {
    Object.assign(changes, { courseId, courseVersion: version });
  }
  const createdAt = changes.createdAt !== undefined ? changes.createdAt : (current?.createdAt ?? null);
  changes.lastActivityAt = changes.lastMessageAt ?? createdAt;
  await store.write(Conversation, current, { id }, changes);
}

/** The course an event happened in, when its metadata context is a Course (widened to global). */
function courseOf(event: ProjectedEvent<unknown>): string | undefined {
  const { context_type, context_id } = event.metadata;
  return context_type === 'Course' && context_id ? globalId(event, context_id) : undefined;
}

export const conversationProjector: Projector<z.output<typeof conversationBody>> = {
  eventNames: ['conversation_created', 'conversation_forwarded'],
  body: conversationBody,
  rowsOf: (event) => [[Conversation, globalId(event, event.body.conversation_id)]],
  async project(event, store) {
    const id = globalId(event, event.body.conversation_id);
    await recordConversation(store, id, event, event.body.updated_at);
    if (event.name === 'conversation_created') await addParticipant(store, id, globalId(event, event.metadata.user_id));
  },
};

export const conversationMessageProjector: Projector<z.output<typeof messageBody>> = {
  eventNames: ['conversation_message_created'],
  body: messageBody,
  rowsOf: (event) => [
    [Conversation, globalId(event, event.body.conversation_id)],
    [ConversationMessage, globalId(event, event.body.message_id)],
  ],
  async project(event, store) {
    const b = event.body;
    const conversationId = globalId(event, b.conversation_id);
    const id = globalId(event, b.message_id);
    const authorId = globalId(event, b.author_id) ?? null;
    const current = await store.read(ConversationMessage, { id });
    await recordConversation(store, conversationId, event, undefined, {
      isNew: !current,
      createdAt: b.created_at ?? null,
    });
    const version = stateVersion(event, b.created_at ?? event.time);
    if (!current || isNewer(version, current.stateVersion)) {
      await store.write(
        ConversationMessage,
        current,
        { id },
        {
          stateVersion: version,
          conversationId,
          authorId,
          createdAt: b.created_at ?? null,
        },
      );
    }
    await addParticipant(store, conversationId, authorId);
  },
};
