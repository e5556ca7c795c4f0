// conversation_created / _forwarded / conversation_message_created → conversations,
// their messages and participants. A message before its conversation creates the
// conversation; the conversation's updatedAt is the latest body.updated_at seen.
import { z } from 'zod';
import { EntityManager } from 'typeorm';
import { findForUpdate, insertUnlessPresent, writeRow } from '../../projection/rows';
import { unitOfWork } from '../../projection/unit-of-work';
import { canvasId, instant, optionalNullable } from '../../canvas/fields';
import { globalId, isNewer, ProjectedEvent, Projector, stateVersion } from '../../projection/projector';
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

async function addParticipant(tx: EntityManager, conversationId: string, userId: string | null | undefined) {
  if (!userId) return;
  if (unitOfWork(tx)?.learn(`participant ${conversationId} ${userId}`) === false) return;
  await insertUnlessPresent(tx, ConversationParticipant, { conversationId, userId }, ['conversation_id', 'user_id']);
}

async function touchConversation(
  tx: EntityManager,
  id: string,
  event: ProjectedEvent<unknown>,
  updatedAt: Date | null | undefined,
): Promise<void> {
  const current = await findForUpdate(tx, Conversation, { id });
  const changes: Partial<Conversation> = { updatedAt: later(current?.updatedAt, updatedAt) };
  if (event.name === 'conversation_created') {
    // The earliest conversation_created wins: it is when the conversation began.
    const version = stateVersion(event);
    if (!current?.createdVersion || version < current.createdVersion) {
      Object.assign(changes, {
        createdVersion: version,
        createdAt: event.time,
        startedById: globalId(event, event.metadata.user_id) ?? null,
      });
    }
  }
  await writeRow(tx, Conversation, current, { id }, changes);
}

export const conversationProjector: Projector<z.output<typeof conversationBody>> = {
  eventNames: ['conversation_created', 'conversation_forwarded'],
  body: conversationBody,
  rowsOf: (event) => [[Conversation, globalId(event, event.body.conversation_id)]],
  async project(event, tx) {
    const id = globalId(event, event.body.conversation_id);
    await touchConversation(tx, id, event, event.body.updated_at);
    if (event.name === 'conversation_created') await addParticipant(tx, id, globalId(event, event.metadata.user_id));
  },
};

export const conversationMessageProjector: Projector<z.output<typeof messageBody>> = {
  eventNames: ['conversation_message_created'],
  body: messageBody,
  rowsOf: (event) => [
    [Conversation, globalId(event, event.body.conversation_id)],
    [ConversationMessage, globalId(event, event.body.message_id)],
  ],
  async project(event, tx) {
    const b = event.body;
    const conversationId = globalId(event, b.conversation_id);
    const id = globalId(event, b.message_id);
    const authorId = globalId(event, b.author_id) ?? null;
    await touchConversation(tx, conversationId, event, undefined);
    const current = await findForUpdate(tx, ConversationMessage, { id });
    const version = stateVersion(event, b.created_at ?? event.time);
    if (!current || isNewer(version, current.stateVersion)) {
      await writeRow(
        tx,
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
    await addParticipant(tx, conversationId, authorId);
  },
};
