// Indexes for the filters the GraphQL API offers that no index served, so a filtered list
// or its totalCount reads an index range instead of every row: the late and missing flags
// of submissions (alone for the top-level list, after the course for a course's list, as
// the course dashboard asks), and the workflow state of resource links. Every other filter
// (submissions by course, assignment, user, workflow state, dates; events by name, status,
// time; conversations by update time and participant; courses by account; resource links
// by context and tool; users by LTI id) already has its index.
import { MigrationInterface } from 'typeorm';
import { indexSet, IndexSpec } from './index-set';

const INDEXES: IndexSpec[] = [
  ['idx_submissions_late', 'submissions', ['late', 'id']],
  ['idx_submissions_missing', 'submissions', ['missing', 'id']],
  ['idx_submissions_course_late', 'submissions', ['course_id', 'late', 'id']],
  ['idx_submissions_course_missing', 'submissions', ['course_id', 'missing', 'id']],
  ['idx_resource_links_workflow_state', 'resource_links', ['workflow_state', 'id']],
];

export class GraphqlFilterIndexes1764000000100 implements MigrationInterface {
  name = 'GraphqlFilterIndexes1764000000100';

  up = indexSet(INDEXES).up;
  down = indexSet(INDEXES).down;
}
