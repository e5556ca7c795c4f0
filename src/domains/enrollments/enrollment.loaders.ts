// Per-request loaders for enrollments: by id, and a page (and count) per course.
import type { DataSource } from 'typeorm';
import { byIdLoader, prime } from '../../graphql/context';
import { perParentCountLoader, perParentPageLoader, PerParentList } from '../../graphql/pagination';
import { applyEnrollmentFilter, CheckedEnrollmentFilter } from './enrollment.args';
import { Enrollment } from './enrollment.entity';

export { ENROLLMENTS_BY_ID } from './enrollment.args';

export function enrollmentLoaders(dataSource: DataSource) {
  const byId = byIdLoader(dataSource, Enrollment);
  const perCourse: PerParentList<Enrollment, CheckedEnrollmentFilter> = {
    dataSource,
    entity: Enrollment,
    parentProperty: 'courseId',
    applyFilter: applyEnrollmentFilter,
  };
  const countByCourse = perParentCountLoader(perCourse);
  const pageByCourse = perParentPageLoader(perCourse, countByCourse, (rows) => prime(byId, rows));
  return { byId, countByCourse, pageByCourse };
}
