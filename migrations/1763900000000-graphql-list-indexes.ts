// Indexes for the GraphQL lists that the initial schema did not cover: a course's
// submissions in each SubmissionOrder (seek on (course, sort column, id) instead of
// sorting every submission of the course), and the workflow-state filter.
import { MigrationInterface } from 'typeorm';
import { indexSet, IndexSpec } from './index-set';

const INDEXES: IndexSpec[] = [
  ['idx_submissions_course_submitted', 'submissions', ['course_id', 'submitted_at', 'id']],
  ['idx_submissions_course_updated', 'submissions', ['course_id', 'updated_at', 'id']],
  ['idx_submissions_course_score', 'submissions', ['course_id', 'score', 'id']],
  ['idx_submissions_workflow_state', 'submissions', ['workflow_state', 'id']],
];

export class GraphqlListIndexes1763900000000 implements MigrationInterface {
  name = 'GraphqlListIndexes1763900000000';

  up = indexSet(INDEXES).up;
  down = indexSet(INDEXES).down;
}
