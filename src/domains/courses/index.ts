// Courses: the Course read model, projected from the context of every live event, and
// what other domains may use of it (its entity, GraphQL type and loaders).
import type { DomainModule } from '../../projection/domain-module';
import { CourseResolver } from './course.resolver';
import { Course } from './course.entity';
import { COURSES_DOMAIN, courseContextProjector } from './course.projector';

export { Course } from './course.entity';
export { recordCourse, recordCourseLaunches } from './course.projector';
export type { CourseFacts, CourseLaunches } from './course.projector';
export { courseLoaders } from './course.loaders';
export { CourseType } from './course.type';

export const coursesModule: DomainModule = {
  name: COURSES_DOMAIN,
  entities: [{ entity: Course, keyed: true }],
  contextProjectors: [courseContextProjector],
  resolvers: [CourseResolver],
};
export { coursesExport } from './course.export';
