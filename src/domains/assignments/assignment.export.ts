// GET /export/assignments.ndjson|.csv. The contract's AssignmentFilter has no GraphQL home
// in this domain yet: its fields as SQL, here (to be replaced by it when it comes).
import { idParams } from '../../db/columns';
import { columnsOf, declareExport } from '../../export/declaration';
import { Assignment } from './assignment.entity';

export const assignmentsExport = declareExport<Assignment>({
  name: 'assignments',
  entity: Assignment,
  changedBy: 'changedSeq',
  params: { courseId: 'id', ids: 'ids', workflowStates: 'strings', dueSince: 'time', dueBefore: 'time' },
  filter: (qb, p) => {
    const a = qb.alias;
    if (p.courseId) qb.andWhere(`${a}.courseId = :aCourseId`, { aCourseId: BigInt(p.courseId as string) });
    if (p.ids) qb.andWhere(`${a}.id IN (:...aIds)`, { aIds: idParams(p.ids as string[]) });
    if (p.workflowStates) qb.andWhere(`${a}.workflowState IN (:...aStates)`, { aStates: p.workflowStates });
    if (p.dueSince) qb.andWhere(`${a}.dueAt >= :aDueSince`, { aDueSince: p.dueSince });
    if (p.dueBefore) qb.andWhere(`${a}.dueAt < :aDueBefore`, { aDueBefore: p.dueBefore });
  },
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
