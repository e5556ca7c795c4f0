import type { DomainModule } from '../../projection/domain-module';
import { CourseResourceLinksResolver } from './course-resource-links.resolver';
import { ResourceLinkResolver } from './resource-link.resolver';
import { ResourceLink } from './resource-link.entity';
import { RESOURCE_LINKS_DOMAIN, resourceLinkProjector } from './resource-link.projector';

export { recordLaunchOnlyLink, recordLinkLaunches, resourceLinkNamedBy } from './resource-link.projector';
export type { LinkLaunches } from './resource-link.projector';

export const resourceLinksModule: DomainModule = {
  name: RESOURCE_LINKS_DOMAIN,
  // Not keyed: launches look links up by uuid (resourceLinkNamedBy).
  entities: [{ entity: ResourceLink, keyed: false }],
  projectors: [resourceLinkProjector],
  resolvers: [ResourceLinkResolver, CourseResourceLinksResolver],
};
