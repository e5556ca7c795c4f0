// The registry of domains. Adding an event family = one folder + one line here.
import { ProjectorRegistry } from '../ingest/projector';
import { conversationsModule } from './conversations';
import { coursesModule } from './courses';
import type { DomainModule, ProjectionSettings } from './domain-module';
import { eventLogModule } from './event-log';
import { ltiModule } from '../lti';
import { resourceLinksModule } from './resource-links';
import { submissionsModule } from './submissions';
import { usersModule } from './users';

export const domainModules: readonly DomainModule[] = [
  coursesModule,
  resourceLinksModule,
  submissionsModule,
  conversationsModule,
  eventLogModule,
  usersModule,
  ltiModule,
];

/** Tables that projections own: dropped and refilled by replay. */
export const projectionEntities = domainModules.flatMap((m) => m.entities);

export function buildProjectorRegistry(
  modules: readonly DomainModule[] = domainModules,
  settings: ProjectionSettings = {},
): ProjectorRegistry {
  return new ProjectorRegistry(
    modules.flatMap((m) => (typeof m.projectors === 'function' ? m.projectors(settings) : (m.projectors ?? []))),
    modules.flatMap((m) => m.contextProjectors ?? []),
    new Set(modules.flatMap((m) => m.keyedEntities ?? [])),
  );
}
