// The ConversationMessage type: one message posted in a conversation.
import { Field, ID, ObjectType } from 'type-graphql';
import { connectionType } from '../../graphql/pagination';

@ObjectType('ConversationMessage', {
  description:
    'A message posted in a conversation, from conversation_message_created events. Its text is not part of the event.',
  simpleResolvers: true,
})
export class ConversationMessageType {
  @Field(() => ID, { description: 'Global Canvas id of the message (body.message_id, widened to global).' })
  id: string;

  @Field(() => ID, { description: 'Global id of the conversation it was posted in.' })
  conversationId: string;

  @Field(() => ID, { nullable: true, description: 'Global id of its author (body.author_id, widened to global).' })
  authorId: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was posted (body.created_at).' })
  createdAt: Date | null;
}

export const ConversationMessageConnection = connectionType(
  ConversationMessageType,
  'ConversationMessage',
  'conversation messages',
);
