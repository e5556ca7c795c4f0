// The composition root: the list of domain modules, and everything the rest of the
// service is built from (tables, migrations, projectors, GraphQL resolvers). Nothing
// below this file imports a domain; the ingest core, replay, the data source and the
// schema builder receive what they need from here as arguments.
// Adding an event family = one folder under src/domains + one line in domainModules
// (see ARCHITECTURE.md for the checklist).
import { migrations } from '../migrations';
import { assignmentsExport, assignmentsModule } from './domains/assignments';
import { conversationsModule, messagesExport } from './domains/conversations';
import { coursesExport, coursesModule } from './domains/courses';
import { enrollmentsExport, enrollmentsModule } from './domains/enrollments';
import { eventLogModule, eventsExport } from './domains/event-log';
import { ltiModule } from './domains/lti';
import { reportingModule } from './domains/reporting';
import { resourceLinksExport, resourceLinksModule } from './domains/resource-links';
import { commentsExport, submissionsExport, submissionsModule } from './domains/submissions';
import { usersModule } from './domains/users';
import { EventRecord } from './log/event.entity';
import { RejectedEvent } from './log/rejected-event.entity';
import { ReplayProgress } from './log/replay-progress.entity';
import { LtiNonce } from './lti/lti-nonce.entity';
import type { DomainModule, ProjectionSettings } from './projection/domain-module';
import { ProjectorRegistry, registryOf } from './projection/projector';

export const domainModules: readonly DomainModule[] = [
  coursesModule,
  resourceLinksModule,
  submissionsModule,
  assignmentsModule,
  enrollmentsModule,
  conversationsModule,
  eventLogModule,
  usersModule,
  ltiModule,
  reportingModule,
];

/** Tables that projections own: dropped and refilled by replay. */
export const projectionEntities = domainModules.flatMap((m) => m.entities.map((table) => table.entity));

// LtiNonce is ingest state (replay never clears it), not a projection.
/** Every table of the service, for the DataSource (app, CLI, tests). */
export const entities = [EventRecord, RejectedEvent, ReplayProgress, LtiNonce, ...projectionEntities];
export { migrations };

/** The GraphQL resolvers of every domain, for the schema builder. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers: Function[] = domainModules.flatMap((m) => m.resolvers ?? []);

/**
 * What GET /export/<name>.ndjson|.csv serves: each domain declares its exports in its own
 * folder (`<thing>.export.ts`); adding one is that declaration and a line here.
 */
export const exportDeclarations = [
  submissionsExport,
  commentsExport,
  messagesExport,
  assignmentsExport,
  enrollmentsExport,
  coursesExport,
  resourceLinksExport,
  eventsExport,
];

/** The projectors of `modules` (all domains by default) for the configuration in force. */
export function buildProjectorRegistry(
  modules: readonly DomainModule[] = domainModules,
  settings: ProjectionSettings = {},
): ProjectorRegistry {
  return registryOf(modules, settings);
}
