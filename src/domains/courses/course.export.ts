// GET /export/courses.ndjson|.csv: the courses read model, filtered like Query.courses.
import { columnsOf, declareExport } from '../../export/declaration';
import { applyCourseFilter } from './course.args';
import { Course } from './course.entity';

export const coursesExport = declareExport<Course>({
  name: 'courses',
  entity: Course,
  changedBy: 'changedSeq',
  params: { ids: 'ids', accountId: 'id' },
  filter: (qb, p) => applyCourseFilter(qb, { ids: p.ids as string[], accountId: p.accountId as string }),
  columns: columnsOf<Course>({
    id: 'id',
    accountId: 'id',
    sisSourceId: 'text',
    title: 'text',
    courseCode: 'text',
    ltiContextId: 'text',
    firstSeenAt: 'time',
    lastActivityAt: 'time',
  }),
});
