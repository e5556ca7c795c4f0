// Per-request loaders for assignments: by id (every field that points at an assignment),
// a page (and count) per course, and the unsubmitted students of each assignment: the
// active student enrollments of its course whose user has no submission to it with a
// submitted_at — a page of them for every assignment of a response in one statement
// (the assignment joined to the enrollments of its course, NOT EXISTS a submitted one).
import type { DataSource } from 'typeorm';
import { byIdLoader, prime } from '../../graphql/context';
import { perParentCountLoader, perParentPageLoader, PerParentList } from '../../graphql/pagination';
import { Enrollment } from '../enrollments';
import { Submission } from '../submissions';
import { applyAssignmentFilter, CheckedAssignmentFilter } from './assignment.args';
import { Assignment } from './assignment.entity';

export function assignmentLoaders(dataSource: DataSource) {
  const byId = byIdLoader(dataSource, Assignment);
  const perCourse: PerParentList<Assignment, CheckedAssignmentFilter> = {
    dataSource,
    entity: Assignment,
    parentProperty: 'courseId',
    applyFilter: applyAssignmentFilter,
  };
  const countByCourse = perParentCountLoader(perCourse);
  const pageByCourse = perParentPageLoader(perCourse, countByCourse, (rows) => prime(byId, rows));

  const unsubmitted: PerParentList<Enrollment, null> = {
    dataSource,
    entity: Enrollment,
    parentJoin: {
      join: (qb) => qb.innerJoin(Assignment, 'p', 'p.courseId = n.courseId'),
      idColumn: 'p.id',
    },
    applyFilter: (qb) => {
      // Served by idx_enrollments_course_roster and idx_submissions_assignment_user.
      qb.andWhere(`n.type = 'StudentEnrollment' AND n.workflowState = 'active'`);
      const submitted = qb
        .subQuery()
        .select('1')
        .from(Submission, 's')
        .where('s.assignmentId = p.id AND s.userId = n.userId AND s.submittedAt IS NOT NULL')
        .getQuery();
      qb.andWhere(`NOT EXISTS ${submitted}`);
    },
  };
  const unsubmittedCount = perParentCountLoader(unsubmitted);
  const unsubmittedPage = perParentPageLoader(unsubmitted, unsubmittedCount);
  return { byId, countByCourse, pageByCourse, unsubmittedCount, unsubmittedPage };
}
