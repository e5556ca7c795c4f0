// Every migration, in order. Listed explicitly (not globbed) so the app, the CLI and the
// tests run the same set whether from TypeScript sources or compiled output.
import { InitialSchema1763800000000 } from './1763800000000-initial-schema';
import { ReplayProgress1763800000001 } from './1763800000001-replay-progress';
import { CourseFactVersions1763800000002 } from './1763800000002-course-fact-versions';
import { LtiLaunches1763800000200 } from './1763800000200-lti-launches';
import { GraphqlListIndexes1763900000000 } from './1763900000000-graphql-list-indexes';
import { GraphqlFilterIndexes1764000000100 } from './1764000000100-graphql-filter-indexes';
import { BoundedRefusals1764000000200 } from './1764000000200-bounded-refusals';
import { Assignments1764000000300 } from './1764000000300-assignments';
import { ReportingIndexes1764000000400 } from './1764000000400-reporting-indexes';
import { AssignmentsEnrollments1764000001000 } from './1764000001000-assignments-enrollments';
import { Activity1764000003000 } from './1764000003000-activity';
import { SubmissionCaliperVersions1764000005000 } from './1764000005000-submission-caliper-versions';
import { ExportChangeTracking1764000004000 } from './1764000004000-export-change-tracking';

export const migrations = [
  InitialSchema1763800000000,
  ReplayProgress1763800000001,
  CourseFactVersions1763800000002,
  LtiLaunches1763800000200,
  GraphqlListIndexes1763900000000,
  GraphqlFilterIndexes1764000000100,
  BoundedRefusals1764000000200,
  Assignments1764000000300,
  ReportingIndexes1764000000400,
  AssignmentsEnrollments1764000001000,
  Activity1764000003000,
  SubmissionCaliperVersions1764000005000,
  ExportChangeTracking1764000004000,
];
