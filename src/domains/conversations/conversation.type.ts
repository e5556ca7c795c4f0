// The Conversation type of the API: a Canvas inbox conversation, from conversation_*
// events and the messages posted in it.
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { connectionType } from '../../graphql/pagination';

@ObjectType('Conversation', {
  description:
    'A Canvas inbox conversation, from conversation_created / conversation_forwarded events and the ' +
    'conversation_message_created events of its messages. A message can make it known before its creation event.',
  simpleResolvers: true,
})
export class ConversationType {
  @Field(() => ID, { description: 'Global Canvas id of the conversation (body.conversation_id, widened to global).' })
  id: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Global id of the user who started it (metadata.user_id of conversation_created).',
  })
  startedById: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was started (event time of conversation_created).' })
  createdAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'The latest body.updated_at seen in its conversation events.' })
  updatedAt: Date | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'Global id of its course: the metadata context of its earliest event whose context is a Course; null when none was.',
  })
  courseId: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When its newest message was posted; null while no message is known.',
  })
  lastMessageAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'Time of the newest message, else createdAt: what activeSince / activeBefore and LAST_ACTIVITY_AT use.',
  })
  lastActivityAt: Date | null;

  @Field(() => Int, { description: 'How many messages of the conversation have been seen.' })
  messageCount: number;
}

export const ConversationConnection = connectionType(ConversationType, 'Conversation', 'conversations');
