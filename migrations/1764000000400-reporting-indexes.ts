// Indexes for the reporting aggregates (src/reporting): GROUP BY assignment reads one
// covering index in assignment order (every column the submission measures use, so no
// row lookups and no sort), a course's groups seek on (course, assignment), and the
// activity datasets find their time range (MIN/MAX for the buckets) and group by author
// without scanning the table.
import { MigrationInterface } from 'typeorm';
import { indexSet, IndexSpec } from './index-set';

const INDEXES: IndexSpec[] = [
  [
    'idx_submissions_assignment_stats',
    'submissions',
    ['assignment_id', 'workflow_state', 'late', 'missing', 'score', 'submitted_at', 'graded_at'],
  ],
  ['idx_submissions_course_assignment', 'submissions', ['course_id', 'assignment_id']],
  ['idx_submission_comments_created', 'submission_comments', ['created_at']],
  ['idx_submission_comments_author', 'submission_comments', ['author_id', 'created_at']],
  ['idx_conversation_messages_created', 'conversation_messages', ['created_at']],
  ['idx_conversation_messages_author', 'conversation_messages', ['author_id', 'created_at']],
];

export class ReportingIndexes1764000000400 implements MigrationInterface {
  name = 'ReportingIndexes1764000000400';

  up = indexSet(INDEXES).up;
  down = indexSet(INDEXES).down;
}
