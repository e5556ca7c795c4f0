// Arguments of the conversations list: the filter, the order, and how both become SQL.
import { ArgsType, Field, ID, InputType, registerEnumType } from 'type-graphql';
import { SelectQueryBuilder } from 'typeorm';
import { optionalIdArgument } from '../../graphql/arguments';
import { ListOrder, OrderDirection, PageArgs, SortField } from '../../graphql/pagination';
import { Conversation } from './conversation.entity';

export enum ConversationOrderField {
  ID = 'ID',
  UPDATED_AT = 'UPDATED_AT',
  LAST_ACTIVITY_AT = 'LAST_ACTIVITY_AT',
  MESSAGE_COUNT = 'MESSAGE_COUNT',
}

registerEnumType(ConversationOrderField, {
  name: 'ConversationOrderField',
  description: 'What a list of conversations can be sorted by. Ties are broken by id, in the same direction.',
  valuesConfig: {
    ID: { description: 'Conversation id (numeric).' },
    UPDATED_AT: { description: 'The latest body.updated_at of its conversation events; unknown counts as earliest.' },
    LAST_ACTIVITY_AT: { description: 'Its newest message, else its creation; unknown counts as earliest.' },
    MESSAGE_COUNT: { description: 'How many of its messages have been seen.' },
  },
});

@InputType('ConversationFilter', { description: 'Narrows the list of conversations; every condition given must hold.' })
export class ConversationFilter {
  @Field(() => ID, {
    nullable: true,
    description: 'Only conversations this user started or wrote a message in (global id).',
  })
  participantId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Only conversations updated at or after this instant.' })
  updatedSince?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only conversations updated before this instant.' })
  updatedBefore?: Date | null;

  @Field(() => ID, { nullable: true, description: 'Only conversations of this course (courseId, global id).' })
  courseId?: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Only conversations active at or after this instant (lastActivityAt: newest message, else creation).',
  })
  activeSince?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only conversations whose lastActivityAt is before this instant.' })
  activeBefore?: Date | null;
}

@InputType('ConversationOrder', { description: 'The order of a list of conversations.' })
export class ConversationOrder {
  @Field(() => ConversationOrderField, { description: 'What to sort by.' })
  field: ConversationOrderField;

  @Field(() => OrderDirection, { description: 'Ascending or descending.' })
  direction: OrderDirection;
}

@ArgsType()
export class ConversationsArgs extends PageArgs {
  @Field(() => ConversationFilter, { nullable: true, description: 'Which conversations to list; all when omitted.' })
  filter?: ConversationFilter | null;

  @Field(() => ConversationOrder, { nullable: true, description: 'Sort order; ascending id when omitted.' })
  orderBy?: ConversationOrder | null;
}

export function applyConversationFilter(
  qb: SelectQueryBuilder<Conversation>,
  filter: ConversationFilter | null | undefined,
): void {
  const a = qb.alias;
  const participantId = optionalIdArgument(filter?.participantId, 'filter.participantId');
  const courseId = optionalIdArgument(filter?.courseId, 'filter.courseId');
  if (participantId) {
    // Served by idx_conversation_participants_user (user_id, conversation_id).
    qb.andWhere(
      `${a}.id IN (SELECT p.conversation_id FROM conversation_participants p WHERE p.user_id = :cParticipant)`,
      {
        cParticipant: BigInt(participantId),
      },
    );
  }
  if (courseId) qb.andWhere(`${a}.courseId = :cCourseId`, { cCourseId: BigInt(courseId) });
  if (filter?.updatedSince) qb.andWhere(`${a}.updatedAt >= :cUpdatedSince`, { cUpdatedSince: filter.updatedSince });
  if (filter?.updatedBefore) qb.andWhere(`${a}.updatedAt < :cUpdatedBefore`, { cUpdatedBefore: filter.updatedBefore });
  if (filter?.activeSince) qb.andWhere(`${a}.lastActivityAt >= :cActiveSince`, { cActiveSince: filter.activeSince });
  if (filter?.activeBefore) qb.andWhere(`${a}.lastActivityAt < :cActiveBefore`, { cActiveBefore: filter.activeBefore });
}

const SORT_FIELDS: Record<ConversationOrderField, SortField | null> = {
  ID: null,
  UPDATED_AT: { property: 'updatedAt', kind: 'time' },
  LAST_ACTIVITY_AT: { property: 'lastActivityAt', kind: 'time' },
  MESSAGE_COUNT: { property: 'messageCount', kind: 'number' },
};

export function conversationOrder(order: ConversationOrder | null | undefined): ListOrder {
  const field = order?.field ?? ConversationOrderField.ID;
  const direction = order?.direction ?? OrderDirection.ASC;
  return { scope: `conversations:${field}:${direction}`, field: SORT_FIELDS[field], direction };
}
