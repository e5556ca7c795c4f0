// Per-request loaders for resource links: by id, and a page (and count) per course.
import type { DataSource } from 'typeorm';
import { perParentCountLoader, perParentPageLoader, PerParentList } from '../../graphql/pagination';
import { byIdLoader, prime } from '../../graphql/context';
import { ResourceLink } from './resource-link.entity';

export function resourceLinkLoaders(dataSource: DataSource) {
  const byId = byIdLoader(dataSource, ResourceLink);
  // A course's links are the ones placed directly in it, not in its assignments.
  const perCourse: PerParentList<ResourceLink, null> = {
    dataSource,
    entity: ResourceLink,
    parentProperty: 'contextId',
    applyFilter: (qb) => qb.andWhere(`${qb.alias}.contextType = 'Course'`),
  };
  const countByCourse = perParentCountLoader(perCourse);
  const pageByCourse = perParentPageLoader(perCourse, countByCourse, (rows) => prime(byId, rows));
  return { byId, countByCourse, pageByCourse };
}
