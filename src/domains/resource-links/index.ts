import type { DomainModule } from '../domain-module';
import { ResourceLink } from './resource-link.entity';
import { resourceLinkProjector } from './resource-link.projector';

export const resourceLinksModule: DomainModule = {
  name: 'resource-links',
  entities: [ResourceLink],
  projectors: [resourceLinkProjector],
};
