import type { DomainModule } from '../../projection/domain-module';
import { CourseResourceLinksResolver } from './course-resource-links.resolver';
import { ResourceLinkResolver } from './resource-link.resolver';
import { ResourceLink } from './resource-link.entity';
import { resourceLinkProjector } from './resource-link.projector';

export const resourceLinksModule: DomainModule = {
  name: 'resource-links',
  entities: [ResourceLink],
  projectors: [resourceLinkProjector],
  resolvers: [ResourceLinkResolver, CourseResourceLinksResolver],
};
