// Arguments of the conversations list.
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { SelectQueryBuilder } from 'typeorm';
import { optionalIdArgument } from '../../graphql/arguments';
import { PageArgs } from '../../graphql/pagination';
import { Conversation } from './conversation.entity';

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
}

@ArgsType()
export class ConversationsArgs extends PageArgs {
  @Field(() => ConversationFilter, { nullable: true, description: 'Which conversations to list; all when omitted.' })
  filter?: ConversationFilter | null;
}

export function applyConversationFilter(
  qb: SelectQueryBuilder<Conversation>,
  filter: ConversationFilter | null | undefined,
): void {
  const a = qb.alias;
  const participantId = optionalIdArgument(filter?.participantId, 'filter.participantId');
  if (participantId) {
    // Served by idx_conversation_participants_user (user_id, conversation_id).
    qb.andWhere(
      `${a}.id IN (SELECT p.conversation_id FROM conversation_participants p WHERE p.user_id = :cParticipant)`,
      {
        cParticipant: BigInt(participantId),
      },
    );
  }
  if (filter?.updatedSince) qb.andWhere(`${a}.updatedAt >= :cUpdatedSince`, { cUpdatedSince: filter.updatedSince });
  if (filter?.updatedBefore) qb.andWhere(`${a}.updatedAt < :cUpdatedBefore`, { cUpdatedBefore: filter.updatedBefore });
}

// The contract's MessageFilter lacks courseId here: messages have no course column yet.
@InputType('MessageFilter', { description: 'Narrows a set of conversation messages; every condition given must hold.' })
export class MessageFilter {
  @Field(() => ID, { nullable: true, description: 'Only messages of this conversation (global id).' })
  conversationId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only messages written by this user (global id).' })
  authorId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Only messages created at or after this instant.' })
  createdSince?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only messages created before this instant.' })
  createdBefore?: Date | null;
}
