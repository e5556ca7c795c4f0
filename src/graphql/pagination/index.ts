// Pagination for every list of the API: what domains (and ../limits.ts) use of
// ./page-request (orders, `first` / `after`), ./connection (the GraphQL types),
// ./list-page (top-level lists) and ./per-parent (nested lists, batched). The cursor
// codec and the keyset SQL stay inside.
export { connectionType, OrderDirection, PageArgs, PageInfo } from './connection';
export { listPage, type TopLevelList } from './list-page';
export { DEFAULT_PAGE_SIZE, type ListOrder, pageRequest, type SortField } from './page-request';
export { perParentCountLoader, perParentPageLoader, type PerParentList } from './per-parent';
