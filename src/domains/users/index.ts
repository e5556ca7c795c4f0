import type { DomainModule } from '../../projection/domain-module';
import { ConversationMessageAuthorResolver } from './conversation-message-author.resolver';
import { ConversationParticipantsResolver } from './conversation-participants.resolver';
import { SubmissionCommentAuthorResolver } from './submission-comment-author.resolver';
import { SubmissionUserResolver } from './submission-user.resolver';
import { User } from './user.entity';
import { userContextProjector } from './user.projector';
import { UserResolver } from './user.resolver';

export const usersModule: DomainModule = {
  name: 'users',
  entities: [User],
  keyedEntities: [User],
  contextProjectors: [userContextProjector],
  resolvers: [
    UserResolver,
    SubmissionUserResolver,
    SubmissionCommentAuthorResolver,
    ConversationMessageAuthorResolver,
    ConversationParticipantsResolver,
  ],
};
