import type { DomainModule } from '../../projection/domain-module';
import { Assignment } from './assignment.entity';
import { ASSIGNMENTS_DOMAIN, assignmentProjector } from './assignment.projector';

export { Assignment } from './assignment.entity';
export { recordAssignment } from './assignment.projector';

/** Assignments (read model only: the GraphQL types come with the API's next version). */
export const assignmentsModule: DomainModule = {
  name: ASSIGNMENTS_DOMAIN,
  entities: [{ entity: Assignment, keyed: true }],
  projectors: [assignmentProjector],
};
export { assignmentsExport } from './assignment.export';
