import type { DomainModule } from '../domain-module';
import { User } from './user.entity';
import { userContextProjector } from './user.projector';

export const usersModule: DomainModule = {
  name: 'users',
  entities: [User],
  contextProjectors: [userContextProjector],
};
