// GET /export/assignments.ndjson|.csv, with the filter of Query.assignments.
import { columnsOf, declareExport } from '../../export/declaration';
import { applyAssignmentFilter, checkAssignmentFilter } from './assignment.args';
import { Assignment } from './assignment.entity';

export const assignmentsExport = declareExport<Assignment>({
  name: 'assignments',
  entity: Assignment,
  changedBy: 'changedSeq',
  params: { courseId: 'id', ids: 'ids', workflowStates: 'strings', dueSince: 'time', dueBefore: 'time' },
  filter: (qb, p) => applyAssignmentFilter(qb, checkAssignmentFilter(p as never)),

  columns: [
    ...columnsOf<Assignment>({
      id: 'id',
      courseId: 'id',
      title: 'text',
      description: 'text',
      dueAt: 'time',
      unlockAt: 'time',
      lockAt: 'time',
      pointsPossible: 'number',
    }),
    // Canvas sends "online_upload,online_text_entry": a list, split and trimmed (as in the contract).
    {
      name: 'submissionTypes',
      kind: 'list',
      value: (a) =>
        (a.submissionTypes ?? '')
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
    },
    ...columnsOf<Assignment>({ workflowState: 'text' }),
  ],
});
