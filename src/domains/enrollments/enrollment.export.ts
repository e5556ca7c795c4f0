// GET /export/enrollments.ndjson|.csv: the roster, with the filter of Query.enrollments.
// userName is personal data: answered to admin tokens only, as in GraphQL.
import { columnsOf, declareExport } from '../../export/declaration';
import { applyEnrollmentFilter, checkEnrollmentFilter } from './enrollment.args';
import { Enrollment } from './enrollment.entity';

export const enrollmentsExport = declareExport<Enrollment>({
  name: 'enrollments',
  entity: Enrollment,
  changedBy: 'changedSeq',
  params: { courseId: 'id', userId: 'id', types: 'strings', workflowStates: 'strings' },
  filter: (qb, p) => applyEnrollmentFilter(qb, checkEnrollmentFilter(p as never)),
  columns: [
    ...columnsOf<Enrollment>({
      id: 'id',
      courseId: 'id',
      userId: 'id',
    }),
    { name: 'sectionId', kind: 'id', value: (e) => e.courseSectionId },
    ...columnsOf<Enrollment>({
      type: 'text',
      role: 'text',
      workflowState: 'text',
      createdAt: 'time',
      updatedAt: 'time',
    }),
    { name: 'userName', kind: 'text', personal: true, value: (e) => e.userName },
  ],
});
