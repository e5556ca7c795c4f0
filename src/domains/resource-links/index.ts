// Resource links: the LTI placements of lti_resource_link_* events, and what other
// domains may use of them (the connection type, order and loaders of a course's links).
import type { DomainModule } from '../../projection/domain-module';
import { ResourceLinkResolver } from './resource-link.resolver';
import { ResourceLink } from './resource-link.entity';
import { RESOURCE_LINKS_DOMAIN, resourceLinkProjector } from './resource-link.projector';

export { recordLaunchOnlyLink, recordLinkLaunches, resourceLinkNamedBy } from './resource-link.projector';
export type { LinkLaunches } from './resource-link.projector';

export { RESOURCE_LINKS_BY_ID } from './resource-link.args';
export { resourceLinkLoaders } from './resource-link.loaders';
export { ResourceLinkConnection, ResourceLinkType } from './resource-link.type';

export const resourceLinksModule: DomainModule = {
  name: RESOURCE_LINKS_DOMAIN,
  // Not keyed: launches look links up by uuid (resourceLinkNamedBy).
  entities: [{ entity: ResourceLink, keyed: false }],
  projectors: [resourceLinkProjector],
  resolvers: [ResourceLinkResolver],
};
export { resourceLinksExport } from './resource-link.export';
