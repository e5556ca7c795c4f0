// Users: the people LTI launches and live events named, and what other domains may use
// of them (the entity, GraphQL type and loaders behind every field that points at a user).
import type { DomainModule } from '../../projection/domain-module';
import { User } from './user.entity';
import { USERS_DOMAIN, userContextProjector } from './user.projector';
import { UserResolver } from './user.resolver';

export { recordUser, recordUserLaunches } from './user.projector';
export type { UserLaunches } from './user.projector';
export { User } from './user.entity';
export { userLoaders } from './user.loaders';
export { UserType } from './user.type';
export { PERSONAL_DATA, personal } from './user.resolver';

export const usersModule: DomainModule = {
  name: USERS_DOMAIN,
  entities: [{ entity: User, keyed: true }],
  contextProjectors: [userContextProjector],
  resolvers: [UserResolver],
};
