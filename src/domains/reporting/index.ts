// Reporting: the GraphQL side of the aggregate engine (src/reporting): the stats queries,
// their types and filters, and the batched stats of one course or assignment that the
// Course and Assignment types resolve `stats` with.
import type { DomainModule } from '../../projection/domain-module';
import { StatsResolver } from './stats.resolver';

export { assignmentStats, courseStats, statsLoaders } from './stats.loaders';
export { ActivityStatsType, NumberStatsType, StatsKeyType, SubmissionStatsType } from './stats.type';
export { commentStatsFilter, messageStatsFilter, submissionStatsFilter } from './stats.args';

export const reportingModule: DomainModule = {
  name: 'reporting',
  entities: [],
  resolvers: [StatsResolver],
};
