// Per-request loaders for courses: by id, for every field that points at a course.
import type { DataSource } from 'typeorm';
import { byIdLoader } from '../../graphql/context';
import { Course } from './course.entity';

export function courseLoaders(dataSource: DataSource) {
  return { byId: byIdLoader(dataSource, Course) };
}
