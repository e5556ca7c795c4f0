// Per-request loaders for the stats of one parent (Course.stats, Assignment.stats): every
// parent of a response level is answered by one GROUP BY statement (course_id IN (...)
// grouped by course), not one statement each. A parent without submissions gets the
// figures of an empty group (count 0, score count 0, nulls).
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { GraphQLContext } from '../../graphql/context';
import { idParams } from '../../db/columns';
import { aggregate, emptyStatsKey, STATS_MAX_PAGE_SIZE, submissionDataset, SubmissionStats } from '../../reporting';

type Parent =
  | { groupBy: 'COURSE'; key: 'courseId'; column: string }
  | { groupBy: 'ASSIGNMENT'; key: 'assignmentId'; column: string };

const BY_COURSE: Parent = { groupBy: 'COURSE', key: 'courseId', column: 's.course_id' };
const BY_ASSIGNMENT: Parent = { groupBy: 'ASSIGNMENT', key: 'assignmentId', column: 's.assignment_id' };

function statsByParent(dataSource: DataSource, parent: Parent): DataLoader<string, SubmissionStats> {
  return new DataLoader<string, SubmissionStats>(
    async (ids) => {
      const page = await aggregate(dataSource, submissionDataset, {
        filter: { where: `${parent.column} IN (${ids.map(() => '?').join(', ')})`, params: idParams(ids) },
        groupBy: [parent.groupBy],
        first: ids.length,
      });
      const byId = new Map(page.nodes.map((stats) => [stats.key[parent.key], stats]));
      return ids.map((id) => byId.get(id) ?? submissionDataset.read({}, { ...emptyStatsKey(), [parent.key]: id }));
    },
    // One page of groups holds at most this many; a batch never needs a second page.
    { maxBatchSize: STATS_MAX_PAGE_SIZE },
  );
}

export function statsLoaders(dataSource: DataSource) {
  return {
    byCourse: statsByParent(dataSource, BY_COURSE),
    byAssignment: statsByParent(dataSource, BY_ASSIGNMENT),
  };
}

/**
 * The SubmissionStats of one assignment (Assignment.stats): the figures submissionStats
 * gives for `filter: { assignmentId }`, with key.assignmentId set. Batched with every other
 * assignment of the same response level into one statement. `assignmentId` is a checked,
 * normalised global id (the Assignment's own id).
 */
export function assignmentStats(ctx: GraphQLContext, assignmentId: string): Promise<SubmissionStats> {
  return ctx.loaders.of(statsLoaders).byAssignment.load(assignmentId);
}

/** The SubmissionStats of one course (Course.stats), batched like assignmentStats. */
export function courseStats(ctx: GraphQLContext, courseId: string): Promise<SubmissionStats> {
  return ctx.loaders.of(statsLoaders).byCourse.load(courseId);
}
