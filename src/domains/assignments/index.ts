// Assignments: the Assignment read model (assignment_created / _updated, and assignments
// named by submissions), and what other domains may use of it (its entity, recordAssignment,
// the GraphQL type, arguments and loaders of the lists that hold assignments).
import type { DomainModule } from '../../projection/domain-module';
import { AssignmentResolver } from './assignment.resolver';
import { Assignment } from './assignment.entity';
import { ASSIGNMENTS_DOMAIN, assignmentProjector } from './assignment.projector';
import { caliperAssignmentProjector } from './assignment.caliper';

export { Assignment } from './assignment.entity';
export { recordAssignment } from './assignment.projector';
export { assignmentOrder, AssignmentsArgs, checkAssignmentFilter } from './assignment.args';
export { assignmentLoaders } from './assignment.loaders';
export { AssignmentConnection, AssignmentType } from './assignment.type';

export const assignmentsModule: DomainModule = {
  name: ASSIGNMENTS_DOMAIN,
  entities: [{ entity: Assignment, keyed: true }],
  projectors: [assignmentProjector, caliperAssignmentProjector],
  resolvers: [AssignmentResolver],
};
export { assignmentsExport } from './assignment.export';
