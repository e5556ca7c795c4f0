import type { DomainModule } from '../../projection/domain-module';
import { CourseResolver } from './course.resolver';
import { Course } from './course.entity';
import { courseContextProjector } from './course.projector';

export const coursesModule: DomainModule = {
  name: 'courses',
  entities: [Course],
  keyedEntities: [Course],
  contextProjectors: [courseContextProjector],
  resolvers: [CourseResolver],
};
