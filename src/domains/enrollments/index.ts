// Enrollments: who takes which role in which course (enrollment_created / _updated, in
// Canvas format or Caliper), and what other domains may use of them (the connection type,
// arguments and loaders of a course's enrollments and an assignment's unsubmitted students).
import type { DomainModule } from '../../projection/domain-module';
import { EnrollmentResolver } from './enrollment.resolver';
import { Enrollment } from './enrollment.entity';
import { ENROLLMENTS_DOMAIN, enrollmentProjector } from './enrollment.projector';
import { caliperEnrollmentProjector } from './enrollment.caliper';

export { Enrollment } from './enrollment.entity';
export { checkEnrollmentFilter, EnrollmentsArgs } from './enrollment.args';
export { enrollmentLoaders, ENROLLMENTS_BY_ID } from './enrollment.loaders';
export { EnrollmentConnection, EnrollmentType } from './enrollment.type';

export const enrollmentsModule: DomainModule = {
  name: ENROLLMENTS_DOMAIN,
  entities: [{ entity: Enrollment, keyed: true }],
  projectors: [enrollmentProjector, caliperEnrollmentProjector],
  resolvers: [EnrollmentResolver],
};

export { enrollmentsExport } from './enrollment.export';
