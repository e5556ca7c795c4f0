// Arguments of the top-level messages list, and how its filter becomes SQL.
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { SelectQueryBuilder } from 'typeorm';
import { optionalIdArgument } from '../../graphql/arguments';
import { ListOrder, PageArgs } from '../../graphql/pagination';
import { ConversationMessage } from './conversation-message.entity';

@InputType('MessageFilter', {
  description: 'Narrows a list of conversation messages; every condition given must hold.',
})
export class MessageFilter {
  @Field(() => ID, { nullable: true, description: 'Only messages of this conversation (global id).' })
  conversationId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only messages written by this user (global id).' })
  authorId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "Only messages of conversations in this course (the conversation's courseId, global id).",
  })
  courseId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Only messages posted at or after this instant (createdAt).' })
  createdSince?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only messages posted before this instant (createdAt).' })
  createdBefore?: Date | null;
}

@ArgsType()
export class MessagesArgs extends PageArgs {
  @Field(() => MessageFilter, { nullable: true, description: 'Which messages to list; all when omitted.' })
  filter?: MessageFilter | null;
}

// Canvas ids grow with time, so id order is posting order: oldest message first.
/** A conversation's messages. */
export const MESSAGES_OLDEST_FIRST: ListOrder = { scope: 'conversationMessages', field: null, direction: 'ASC' };
/** Every message (Query.messages): its own scope, so a cursor of one list never continues the other. */
export const ALL_MESSAGES_OLDEST_FIRST: ListOrder = { scope: 'messages', field: null, direction: 'ASC' };

/** A filter with its ids checked: the form queries use. */
export interface CheckedMessageFilter {
  conversationId?: string;
  authorId?: string;
  courseId?: string;
  createdSince?: Date;
  createdBefore?: Date;
}

export function checkMessageFilter(filter: MessageFilter | null | undefined): CheckedMessageFilter {
  if (!filter) return {};
  const checked: CheckedMessageFilter = {
    conversationId: optionalIdArgument(filter.conversationId, 'filter.conversationId'),
    authorId: optionalIdArgument(filter.authorId, 'filter.authorId'),
    courseId: optionalIdArgument(filter.courseId, 'filter.courseId'),
    createdSince: filter.createdSince ?? undefined,
    createdBefore: filter.createdBefore ?? undefined,
  };
  return Object.fromEntries(Object.entries(checked).filter(([, v]) => v !== undefined));
}

export function applyMessageFilter(qb: SelectQueryBuilder<ConversationMessage>, f: CheckedMessageFilter): void {
  const a = qb.alias;
  if (f.conversationId) {
    qb.andWhere(`${a}.conversationId = :mConversationId`, { mConversationId: BigInt(f.conversationId) });
  }
  if (f.authorId) qb.andWhere(`${a}.authorId = :mAuthorId`, { mAuthorId: BigInt(f.authorId) });
  if (f.courseId) {
    // A message's course is its conversation's, through a subquery rather than a
    // course_id copied onto every message: the course may become known after the
    // messages (from a later event's metadata), and copying it then would rewrite every
    // message of the conversation in one projection. The subquery reads
    // idx_conversations_course (course_id, id), and the messages of those conversations
    // idx_conversation_messages_conversation (conversation_id, id).
    qb.andWhere(`${a}.conversationId IN (SELECT c.id FROM conversations c WHERE c.course_id = :mCourseId)`, {
      mCourseId: BigInt(f.courseId),
    });
  }
  if (f.createdSince) qb.andWhere(`${a}.createdAt >= :mCreatedSince`, { mCreatedSince: f.createdSince });
  if (f.createdBefore) qb.andWhere(`${a}.createdAt < :mCreatedBefore`, { mCreatedBefore: f.createdBefore });
}

/**
 * The filter applied to one message in memory (live updates: messageAdded), meaning what
 * applyMessageFilter means in SQL; the course is the conversation's, read only when the
 * filter names it. One entry per filter field, so a new field does not compile until it
 * says how it matches.
 */
const MESSAGE_MATCHERS: {
  [K in keyof Required<CheckedMessageFilter>]: (
    message: ConversationMessage,
    bound: Required<CheckedMessageFilter>[K],
    conversation: () => Promise<{ courseId: string | null } | null>,
  ) => boolean | Promise<boolean>;
} = {
  conversationId: (message, id) => message.conversationId === id,
  authorId: (message, id) => message.authorId === id,
  courseId: async (_message, id, conversation) => (await conversation())?.courseId === id,
  createdSince: (message, bound) => message.createdAt !== null && message.createdAt.getTime() >= bound.getTime(),
  createdBefore: (message, bound) => message.createdAt !== null && message.createdAt.getTime() < bound.getTime(),
};

export async function matchesMessageFilter(
  message: ConversationMessage,
  f: CheckedMessageFilter,
  conversation: () => Promise<{ courseId: string | null } | null>,
): Promise<boolean> {
  for (const key of Object.keys(f) as Array<keyof CheckedMessageFilter>) {
    const matcher = MESSAGE_MATCHERS[key] as (m: ConversationMessage, b: unknown, c: typeof conversation) => unknown;
    if (!(await matcher(message, f[key], conversation))) return false;
  }
  return true;
}
