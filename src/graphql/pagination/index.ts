// Pagination for every list of the API: what domains use of ./page-request (orders,
// `first` / `after`), ./connection (the GraphQL types), ./keyset (the SQL), ./per-parent
// (nested lists, batched) and ./list-page (top-level lists). The cursor codec stays inside.
export { Connection, connectionType, OrderDirection, PageArgs, PageInfo } from './connection';
export { findPage } from './keyset';
export { listPage, type TopLevelList } from './list-page';
export { DEFAULT_PAGE_SIZE, type ListOrder, MAX_PAGE_SIZE, pageRequest, type SortField } from './page-request';
export {
  type ApplyFilter,
  perParentCountLoader,
  perParentPageLoader,
  type PerParentList,
  type PerParentPages,
} from './per-parent';
