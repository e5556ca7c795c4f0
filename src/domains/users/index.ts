import type { DomainModule } from '../../projection/domain-module';
import { ConversationMessageAuthorResolver } from './conversation-message-author.resolver';
import { ConversationParticipantsResolver } from './conversation-participants.resolver';
import { SubmissionCommentAuthorResolver } from './submission-comment-author.resolver';
import { SubmissionUserResolver } from './submission-user.resolver';
import { User } from './user.entity';
import { USERS_DOMAIN, userContextProjector } from './user.projector';
import { UserResolver } from './user.resolver';

export { recordUser, recordUserLaunches } from './user.projector';
export type { UserLaunches } from './user.projector';

export const usersModule: DomainModule = {
  name: USERS_DOMAIN,
  entities: [{ entity: User, keyed: true }],
  contextProjectors: [userContextProjector],
  resolvers: [
    UserResolver,
    SubmissionUserResolver,
    SubmissionCommentAuthorResolver,
    ConversationMessageAuthorResolver,
    ConversationParticipantsResolver,
  ],
};
