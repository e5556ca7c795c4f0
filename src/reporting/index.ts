// Reporting: aggregates computed by GROUP BY in the database (submissionStats,
// commentStats, messageStats, Course.stats, Assignment.stats). The GraphQL layer builds a
// StatsFilter from its filter input and calls aggregate() with one of the datasets.
export { aggregate, dialectOf, emptyStatsKey, STATS_DEFAULT_PAGE_SIZE, STATS_MAX_PAGE_SIZE } from './aggregate';
export type { NumberStats, StatsFilter, StatsKey, StatsPage, StatsRequest } from './aggregate';
export { commentDataset, messageDataset, submissionDataset } from './datasets';
export type { ActivityStats, CommentGroupBy, MessageGroupBy, SubmissionGroupBy, SubmissionStats } from './datasets';
export { bucketStart, sqlDatetime, timeZoneOf } from './time-buckets';
export type { BucketUnit, TimeZone } from './time-buckets';
