// The GraphQL side of pagination: Relay connections (edges, nodes, pageInfo,
// totalCount), the `first` / `after` arguments every list takes, and the OrderDirection
// enum. A Connection is built from the rows a keyset query returned (./keyset.ts,
// ./per-parent.ts); its cursors come from ./cursor.ts.
import { ArgsType, ClassType, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { encodeCursor } from './cursor';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageRequest } from './page-request';

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `How many items to return: ${DEFAULT_PAGE_SIZE} when omitted, at most ${MAX_PAGE_SIZE}.`,
  })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Return the items after this cursor: the endCursor (or an edge cursor) of a previous page of the same list.',
  })
  after?: string | null;
}

@ObjectType('PageInfo', {
  description: 'Where a page sits in its list, for fetching the next one.',
  simpleResolvers: true,
})
export class PageInfo {
  @Field(() => Boolean, {
    description: 'True when more items follow this page: pass endCursor as `after` to get them.',
  })
  hasNextPage: boolean;

  @Field(() => Boolean, { description: 'True when this page was asked for with `after`, so items precede it.' })
  hasPreviousPage: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the first item of the page; null when the page is empty.',
  })
  startCursor: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the last item of the page; null when the page is empty.',
  })
  endCursor: string | null;
}

type Row = Record<string, unknown>;

/**
 * What every connection field resolves to; totalCount is counted only when asked for.
 * Edges (with their cursors) and pageInfo are built on first use too: most queries ask
 * for nodes alone, and a nested page is built for every parent of a response.
 */
export class Connection<T> {
  readonly nodes: T[];
  private builtEdges?: Array<{ cursor: string; node: T }>;
  private builtPageInfo?: PageInfo;
  private counted?: Promise<number>;

  /** `rows` is the query's answer for LIMIT first + 1: one extra row means a next page. */
  constructor(
    private readonly rows: T[],
    private readonly request: PageRequest,
    private readonly count: () => Promise<number>,
  ) {
    this.nodes = rows.length > request.first ? rows.slice(0, request.first) : rows;
  }

  get edges(): Array<{ cursor: string; node: T }> {
    return (this.builtEdges ??= this.nodes.map((node) => ({
      cursor: encodeCursor(node as Row, this.request.order),
      node,
    })));
  }

  get pageInfo(): PageInfo {
    if (!this.builtPageInfo) {
      const last = this.nodes.length - 1;
      this.builtPageInfo = {
        hasNextPage: this.rows.length > this.request.first,
        hasPreviousPage: this.request.after !== null,
        startCursor: last < 0 ? null : encodeCursor(this.nodes[0] as Row, this.request.order),
        endCursor: last < 0 ? null : encodeCursor(this.nodes[last] as Row, this.request.order),
      };
    }
    return this.builtPageInfo;
  }

  get totalCount(): Promise<number> {
    return (this.counted ??= this.count());
  }
}

/** The GraphQL Connection and Edge types for one node type. */
export function connectionType<T extends object>(
  node: ClassType<T>,
  name: string,
  items: string,
): ClassType<Connection<T>> {
  @ObjectType(`${name}Edge`, { description: `One of the ${items} in a page, with its cursor.`, simpleResolvers: true })
  class Edge {
    @Field(() => String, { description: 'Opaque position of this item: pass it as `after` to continue after it.' })
    cursor: string;

    @Field(() => node, { description: `The item itself.` })
    node: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${items}, in a stable order.`, simpleResolvers: true })
  class ConnectionType {
    @Field(() => [Edge], { description: 'The items of this page with their cursors.' })
    edges: Edge[];

    @Field(() => [node], { description: 'The items of this page, when cursors per item are not needed.' })
    nodes: T[];

    @Field(() => PageInfo, { description: 'Whether more items follow, and the cursors to continue from.' })
    pageInfo: PageInfo;

    @Field(() => Int, { description: `How many ${items} the whole list holds (with its filters), across all pages.` })
    totalCount: number;
  }
  return ConnectionType as unknown as ClassType<Connection<T>>;
}

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(OrderDirection, {
  name: 'OrderDirection',
  description:
    'Which way a list runs. Items without a value for the sort field count as lowest: first when ascending, last when descending.',
  valuesConfig: {
    ASC: { description: 'Smallest (or earliest) first.' },
    DESC: { description: 'Largest (or latest) first.' },
  },
});
