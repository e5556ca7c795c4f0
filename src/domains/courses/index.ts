import type { DomainModule } from '../domain-module';
import { Course } from './course.entity';
import { courseContextProjector } from './course.projector';

export const coursesModule: DomainModule = {
  name: 'courses',
  entities: [Course],
  contextProjectors: [courseContextProjector],
};
