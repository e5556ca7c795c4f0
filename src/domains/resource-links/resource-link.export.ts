// GET /export/resource-links.ndjson|.csv: the resource links, filtered like Query.resourceLinks.
import { columnsOf, declareExport } from '../../export/declaration';
import { applyResourceLinkFilter, checkResourceLinkFilter } from './resource-link.args';
import { ResourceLink } from './resource-link.entity';

export const resourceLinksExport = declareExport<ResourceLink>({
  name: 'resource-links',
  entity: ResourceLink,
  changedBy: 'changedSeq',
  params: { courseId: 'id', contextType: 'string', workflowState: 'string', toolId: 'id' },
  filter: (qb, p) => applyResourceLinkFilter(qb, checkResourceLinkFilter(p as never)),
  columns: columnsOf<ResourceLink>({
    id: 'id',
    uuid: 'text',
    lookupUuid: 'text',
    contextId: 'id',
    contextType: 'text',
    toolId: 'id',
    url: 'text',
    workflowState: 'text',
    title: 'text',
    createdAt: 'time',
    updatedAt: 'time',
  }),
});
