// The three datasets the contract aggregates (submissionStats, commentStats,
// messageStats), as table and column names: reporting/ imports no domain, so a renamed
// column is changed here and in the migration that renamed it. Aliases: s submissions,
// c submission_comments, m conversation_messages. A filter written for a dataset uses
// those aliases (and names the joins it needs: `s` for a comment's submission).
import { countOf, Dataset, NumberStats, numberStatsSql, readNumberStats, StatsKey } from './aggregate';
import { readDatetime } from './time-buckets';

type PeriodGroupBy = 'DAY' | 'WEEK' | 'MONTH';

export type SubmissionGroupBy =
  | 'COURSE'
  | 'ASSIGNMENT'
  | 'USER'
  | 'WORKFLOW_STATE'
  | 'SUBMISSION_TYPE'
  | 'LATE'
  | 'MISSING'
  | 'DAY'
  | 'WEEK'
  | 'MONTH';
export type CommentGroupBy = 'COURSE' | 'SUBMISSION' | 'AUTHOR' | PeriodGroupBy;
export type MessageGroupBy = 'CONVERSATION' | 'AUTHOR' | PeriodGroupBy;

export interface SubmissionStats {
  key: StatsKey;
  count: number;
  /** submittedAt set. */
  submittedCount: number;
  /** gradedAt set or workflowState graded. */
  gradedCount: number;
  lateCount: number;
  missingCount: number;
  /** Over the submissions that have a score. */
  score: NumberStats;
  firstSubmittedAt: Date | null;
  lastSubmittedAt: Date | null;
}

export interface ActivityStats {
  key: StatsKey;
  count: number;
  first: Date | null;
  last: Date | null;
}

export const submissionDataset: Dataset<SubmissionGroupBy, SubmissionStats> = {
  name: 'submissions',
  from: 'submissions s',
  dimensions: {
    COURSE: { key: 'courseId', kind: 'id', column: 's.course_id' },
    ASSIGNMENT: { key: 'assignmentId', kind: 'id', column: 's.assignment_id' },
    USER: { key: 'userId', kind: 'id', column: 's.user_id' },
    WORKFLOW_STATE: { key: 'workflowState', kind: 'string', column: 's.workflow_state' },
    SUBMISSION_TYPE: { key: 'submissionType', kind: 'string', column: 's.submission_type' },
    LATE: { key: 'late', kind: 'boolean', column: 's.late' },
    MISSING: { key: 'missing', kind: 'boolean', column: 's.missing' },
    DAY: { key: 'period', kind: 'period', unit: 'DAY', column: 's.submitted_at' },
    WEEK: { key: 'period', kind: 'period', unit: 'WEEK', column: 's.submitted_at' },
    MONTH: { key: 'period', kind: 'period', unit: 'MONTH', column: 's.submitted_at' },
  },
  measures: () => [
    'COUNT(*) AS n',
    'COUNT(s.submitted_at) AS submitted_n',
    `COUNT(CASE WHEN s.graded_at IS NOT NULL OR s.workflow_state = 'graded' THEN 1 END) AS graded_n`,
    'COUNT(CASE WHEN s.late = 1 THEN 1 END) AS late_n',
    'COUNT(CASE WHEN s.missing = 1 THEN 1 END) AS missing_n',
    ...numberStatsSql('s.score', 'score'),
    'MIN(s.submitted_at) AS first_submitted',
    'MAX(s.submitted_at) AS last_submitted',
  ],
  read: (row, key) => ({
    key,
    count: countOf(row.n),
    submittedCount: countOf(row.submitted_n),
    gradedCount: countOf(row.graded_n),
    lateCount: countOf(row.late_n),
    missingCount: countOf(row.missing_n),
    score: readNumberStats(row, 'score'),
    firstSubmittedAt: readDatetime(row.first_submitted),
    lastSubmittedAt: readDatetime(row.last_submitted),
  }),
};

const activityMeasures = (createdAt: string) => () => [
  'COUNT(*) AS n',
  `MIN(${createdAt}) AS first_at`,
  `MAX(${createdAt}) AS last_at`,
];

const readActivity = (row: Record<string, unknown>, key: StatsKey): ActivityStats => ({
  key,
  count: countOf(row.n),
  first: readDatetime(row.first_at),
  last: readDatetime(row.last_at),
});

export const commentDataset: Dataset<CommentGroupBy, ActivityStats> = {
  name: 'comments',
  from: 'submission_comments c',
  // The comments table has no course: it is the submission's.
  joins: { s: 'LEFT JOIN submissions s ON s.id = c.submission_id' },
  dimensions: {
    COURSE: { key: 'courseId', kind: 'id', column: 's.course_id', joins: ['s'] },
    SUBMISSION: { key: 'submissionId', kind: 'id', column: 'c.submission_id' },
    AUTHOR: { key: 'authorId', kind: 'id', column: 'c.author_id' },
    DAY: { key: 'period', kind: 'period', unit: 'DAY', column: 'c.created_at' },
    WEEK: { key: 'period', kind: 'period', unit: 'WEEK', column: 'c.created_at' },
    MONTH: { key: 'period', kind: 'period', unit: 'MONTH', column: 'c.created_at' },
  },
  measures: activityMeasures('c.created_at'),
  read: readActivity,
};

export const messageDataset: Dataset<MessageGroupBy, ActivityStats> = {
  name: 'messages',
  from: 'conversation_messages m',
  dimensions: {
    CONVERSATION: { key: 'conversationId', kind: 'id', column: 'm.conversation_id' },
    AUTHOR: { key: 'authorId', kind: 'id', column: 'm.author_id' },
    DAY: { key: 'period', kind: 'period', unit: 'DAY', column: 'm.created_at' },
    WEEK: { key: 'period', kind: 'period', unit: 'WEEK', column: 'm.created_at' },
    MONTH: { key: 'period', kind: 'period', unit: 'MONTH', column: 'm.created_at' },
  },
  measures: activityMeasures('m.created_at'),
  read: readActivity,
};
