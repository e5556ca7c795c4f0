// The list-resolver pattern of every top-level list (courses, submissions, users, ...):
// arguments → checked page request → filtered query → keyset page → Connection, the
// page's rows primed into the request's by-id loader so that a later lookup of one of
// them (a comment's submission, a link's course) costs no statement.
import type DataLoader from 'dataloader';
import type { EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { GraphQLContext, LoaderFactory, prime } from '../context';
import type { Connection } from './connection';
import { findPage } from './keyset';
import { ListOrder, PageArguments, pageRequest } from './page-request';

/** How a top-level list of `E` is read, given its GraphQL arguments `A`. */
export interface TopLevelList<E extends ObjectLiteral & { id: string }, A extends PageArguments> {
  entity: EntityTarget<E>;
  /** The list's order: fixed, or chosen by the arguments (e.g. `orderBy`). */
  order: ListOrder | ((args: A) => ListOrder);
  /**
   * Checks the filter arguments and narrows the query (alias `n`) by them; a bad value
   * throws BadInputError naming the argument. Runs after `first` and `after` are checked.
   */
  filter?: (qb: SelectQueryBuilder<E>, args: A) => void;
  /** The domain's loaders: their `byId` is primed with the page. */
  loaders?: LoaderFactory<{ byId: DataLoader<string, E | null> }>;
}

/** The page of `list` that `args` ask for. */
export async function listPage<E extends ObjectLiteral & { id: string }, A extends PageArguments>(
  list: TopLevelList<E, A>,
  args: A,
  ctx: GraphQLContext,
): Promise<Connection<E>> {
  const request = pageRequest(args, typeof list.order === 'function' ? list.order(args) : list.order);
  const qb = ctx.dataSource.createQueryBuilder(list.entity, 'n');
  list.filter?.(qb, args);
  const page = await findPage(qb, request);
  if (list.loaders) prime(ctx.loaders.of(list.loaders).byId, page.nodes);
  return page;
}
