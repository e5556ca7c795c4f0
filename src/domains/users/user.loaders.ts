// Per-request loaders for users: by id, for every field that points at a user.
import type { DataSource } from 'typeorm';
import { byIdLoader } from '../../graphql/context';
import { User } from './user.entity';

export function userLoaders(dataSource: DataSource) {
  return { byId: byIdLoader(dataSource, User) };
}
