// Limits on what one GraphQL operation may ask for, checked after the operation is
// resolved and before anything executes: nesting depth, aliases, and cost. Cost
// approximates the most objects the operation can return: an object costs 1, scalars are
// free, and every list is charged by its bound times what each item costs. A connection
// (a field taking `first`) is bounded by the page size asked for (20 when omitted), so
// `courses(first: 100) { nodes { submissions(first: 100) { nodes { id } } } }` costs
// 1 + 100 × (1 + 1 + 100 × 1) = 10,201; a plain list by its own `first`, a declared cap
// (./list-bounds.ts) or the length of the list argument it answers (`nodes(nodeIds:)`). A
// count (totalCount, messageCount) reads the rows it counts, so it is charged COUNT_COST,
// once per connection, not per item.
//
// The walk costs each fragment once however often it is spread (its cost is then added
// at every spread), so a fragment spreading another twice, ten levels deep, is costed in
// microseconds at its true, huge cost. The check fails closed: an operation whose cost
// cannot be computed is refused, never run unchecked; only bad variable values are left
// to execution, which names the variable and the problem. A refused operation is answered
// 400 with a message naming the limit and the figures, and `extensions.limit` for programs.
import type { ApolloServerPlugin } from '@apollo/server';
import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLError,
  GraphQLField,
  GraphQLIncludeDirective,
  GraphQLNamedType,
  GraphQLSchema,
  GraphQLSkipDirective,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  SelectionNode,
  SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from './pagination';
import { ARGUMENT_LIST_BOUNDS, DECLARED_LIST_BOUNDS } from './list-bounds';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

export type LimitName = 'depth' | 'aliases' | 'cost';

/**
 * Most tokens a query may have; past it parsing stops (400 GRAPHQL_PARSE_FAILED). The
 * limits below are checked after GraphQL's own validation, whose time grows with the
 * document: a megabyte of fragments takes seconds to validate. The IDE's introspection
 * query has about 200 tokens, the example queries about 100.
 */
export const MAX_QUERY_TOKENS = 5_000;

/** The introspection entry points: GraphiQL's own schema query is deeper than any data query. */
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

interface Measure {
  depth: number;
  aliases: number;
}

/** Depth (fields nested, fragments followed) and number of aliases of one operation. */
export function measureOperation(document: DocumentNode, operation: OperationDefinitionNode): Measure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  // Each fragment is measured once: a fragment spread many times (or spreading others
  // many times) must not make this walk exponential.
  const measured = new Map<string, Measure>();
  const visiting = new Set<string>();

  const walk = (selectionSet: SelectionSetNode): Measure => {
    let depth = 0;
    let aliases = 0;
    for (const selection of selectionSet.selections) {
      let inner: Measure = { depth: 0, aliases: 0 };
      let own = 0;
      if (selection.kind === Kind.FIELD) {
        own = 1;
        if (selection.alias) aliases += 1;
        if (selection.selectionSet && !INTROSPECTION_ROOTS.has(selection.name.value))
          inner = walk(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = walk(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // Unknown or cyclic fragments are validation errors reported by GraphQL itself.
        if (!fragment || visiting.has(name)) continue;
        let known = measured.get(name);
        if (!known) {
          visiting.add(name);
          known = walk(fragment.selectionSet);
          visiting.delete(name);
          measured.set(name, known);
        }
        inner = known;
      }
      depth = Math.max(depth, own + inner.depth);
      aliases += inner.aliases;
    }
    return { depth, aliases };
  };
  return walk(operation.selectionSet);
}

/** The wrappers between a connection and its items: they fetch nothing of their own. */
function isConnectionWrapper(parentType: string, field: string): boolean {
  if (parentType.endsWith('Connection')) return field === 'nodes' || field === 'edges' || field === 'pageInfo';
  return parentType.endsWith('Edge') && field === 'node';
}

/**
 * What a count costs (totalCount, messageCount): it reads every row it counts, so it is
 * not free although it answers a scalar. Charged as a default page of rows; the filters
 * behind the counts are indexed (migrations/1764000000100-graphql-filter-indexes.ts).
 */
export const COUNT_COST = DEFAULT_PAGE_SIZE;

/** A list of scalars (ids, roles) costs one object per this many items: an object of ours has about as many fields. */
export const SCALARS_PER_OBJECT = 20;

/**
 * Count fields outside connections (schema coordinates). A parent's stats are one
 * aggregate over its rows: charged like a count, per parent.
 */
const COUNT_FIELDS = new Set(['Conversation.messageCount', 'Course.stats', 'Assignment.stats']);

/**
 * Top-level aggregates: paged by their groups, but each reads every row it groups, so it
 * costs a count besides its page (as a parent's stats do); otherwise `first: 1` cost 2.
 */
const AGGREGATE_FIELDS = new Set(['Query.submissionStats', 'Query.commentStats', 'Query.messageStats']);

function isCount(parentType: string, field: string): boolean {
  return (parentType.endsWith('Connection') && field === 'totalCount') || COUNT_FIELDS.has(`${parentType}.${field}`);
}

const hasFirst = (field: GraphQLField<unknown, unknown>) => field.args.some((arg) => arg.name === 'first');
const isList = (field: GraphQLField<unknown, unknown>) => isListType(getNullableType(field.type));

/**
 * The most items a list field can return with these arguments: its `first` (or the
 * argument's default, or a connection's default page), or its declared cap. Null for a
 * list with neither, which unboundedLists reports and the server refuses to start with.
 */
function listBound(parentType: string, field: GraphQLField<unknown, unknown>, args: Record<string, unknown>) {
  const first = field.args.find((arg) => arg.name === 'first');
  if (first) {
    if (typeof args.first === 'number' && args.first >= 0) return args.first;
    return typeof first.defaultValue === 'number' ? first.defaultValue : DEFAULT_PAGE_SIZE;
  }
  const coordinate = `${parentType}.${field.name}`;
  const byArgument = ARGUMENT_LIST_BOUNDS[coordinate];
  if (byArgument) {
    const value = args[byArgument.argument];
    return Array.isArray(value) ? value.length : byArgument.max;
  }
  return DECLARED_LIST_BOUNDS[coordinate] ?? null;
}

/** Fields of `schema` that are lists with no bound the cost can be charged by (schema coordinates). */
export function unboundedLists(schema: GraphQLSchema): string[] {
  const unbounded: string[] = [];
  for (const type of Object.values(schema.getTypeMap()) as GraphQLNamedType[]) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isList(field) || isConnectionWrapper(type.name, field.name)) continue;
      if (listBound(type.name, field, {}) === null) unbounded.push(`${type.name}.${field.name}`);
    }
  }
  return unbounded;
}

/**
 * The cost of a selection set: `once` is what it costs as it stands; `perItem`, for a
 * connection's selection, what each item of the page costs (its nodes and edges), which
 * the connection field multiplies by its page size.
 */
interface Charge {
  perItem: number;
  once: number;
}

class CostWalk {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly fragmentCharges = new Map<string, Charge>();
  private readonly visiting = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
    private readonly variables: Record<string, unknown>,
  ) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
    }
  }

  selectionSet(set: SelectionSetNode, type: GraphQLNamedType): Charge {
    const charge: Charge = { perItem: 0, once: 0 };
    for (const selection of set.selections) {
      if (!this.included(selection)) continue;
      let inner: Charge;
      if (selection.kind === Kind.FIELD) {
        inner = this.field(selection, type);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition && this.schema.getType(selection.typeCondition.name.value);
        inner = this.selectionSet(selection.selectionSet, condition ?? type);
      } else {
        inner = this.fragment(selection.name.value);
      }
      charge.perItem = saturated(charge.perItem + inner.perItem);
      charge.once = saturated(charge.once + inner.once);
    }
    return charge;
  }

  private field(node: FieldNode, parent: GraphQLNamedType): Charge {
    // Introspection (__schema, __type, __typename) and unknown fields (a validation error) cost nothing.
    const field = isObjectType(parent) ? parent.getFields()[node.name.value] : undefined;
    if (!field || !isObjectType(parent)) return { perItem: 0, once: 0 };
    const inner = node.selectionSet
      ? this.selectionSet(node.selectionSet, getNamedType(field.type))
      : { perItem: 0, once: 0 };
    // A connection's nodes, edges and edge's node: what they select is what each item costs.
    if (isConnectionWrapper(parent.name, field.name)) return { perItem: inner.perItem + inner.once, once: 0 };
    if (isCount(parent.name, field.name)) return { perItem: 0, once: COUNT_COST };
    const leaf = isLeafType(getNamedType(field.type));
    if (!hasFirst(field) && !isList(field)) return { perItem: 0, once: leaf ? 0 : 1 + inner.once };
    const bound = listBound(parent.name, field, getArgumentValues(field, node, this.variables));
    if (bound === null) throw new Error(`${parent.name}.${field.name} is a list with no bound`);
    if (!isList(field)) {
      const aggregate = AGGREGATE_FIELDS.has(`${parent.name}.${field.name}`) ? COUNT_COST : 0;
      return { perItem: 0, once: saturated(1 + aggregate + bound * (1 + inner.perItem) + inner.once) };
    }
    return { perItem: 0, once: leaf ? Math.ceil(bound / SCALARS_PER_OBJECT) : saturated(bound * (1 + inner.once)) };
  }

  private fragment(name: string): Charge {
    const known = this.fragmentCharges.get(name);
    if (known) return known;
    const fragment = this.fragments.get(name);
    // Unknown or cyclic fragments are validation errors reported by GraphQL itself.
    if (!fragment || this.visiting.has(name)) return { perItem: 0, once: 0 };
    const type = this.schema.getType(fragment.typeCondition.name.value);
    if (!type) return { perItem: 0, once: 0 };
    this.visiting.add(name);
    const charge = this.selectionSet(fragment.selectionSet, type);
    this.visiting.delete(name);
    this.fragmentCharges.set(name, charge);
    return charge;
  }

  private included(selection: SelectionNode): boolean {
    if (!selection.directives?.length) return true;
    if (getDirectiveValues(GraphQLSkipDirective, selection, this.variables)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, selection, this.variables)?.if !== false;
  }
}

/**
 * Costs stop at Number.MAX_SAFE_INTEGER, over any limit: past it figures are no longer
 * exact, and a thousand fragments each spreading the previous twice would otherwise reach
 * Infinity, which a `first: 0` above turns into NaN, and NaN is over no limit.
 */
const saturated = (cost: number) => (cost < Number.MAX_SAFE_INTEGER ? cost : Number.MAX_SAFE_INTEGER);

/** The cost of `operation` with these (coerced) variable values. */
export function operationCost(options: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
}): number {
  const root = options.schema.getRootType(options.operation.operation);
  if (!root) throw new Error(`the schema has no ${options.operation.operation} type`);
  const walk = new CostWalk(options.schema, options.document, options.variables);
  return walk.selectionSet(options.operation.selectionSet, root).once;
}

export function limitError(limit: LimitName, value: number, max: number): GraphQLError {
  const messages: Record<LimitName, string> = {
    depth: `Query refused: it nests fields ${value} levels deep; the depth limit is ${max}.`,
    aliases: `Query refused: it uses ${value} aliases; the alias limit is ${max}.`,
    cost: `Query refused: its cost is ${value}; the cost limit is ${max}. Each list costs its items times what they select: ask for fewer items (first) or fewer nested lists.`,
  };
  return new GraphQLError(messages[limit], {
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: { name: limit, value, max }, http: { status: 400 } },
  });
}

/** What the cost check concluded about one operation with its variables. */
type CostOutcome = number | 'bad-variables';

function costOutcome(options: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName?: string | null;
  variables?: Record<string, unknown>;
}): CostOutcome {
  const { coerced, errors } = getVariableValues(options.schema, options.operation.variableDefinitions ?? [], {
    ...(options.variables ?? {}),
  });
  // The one failure left to execution: it names the variable and what was wrong with it.
  if (errors?.length || !coerced) return 'bad-variables';
  try {
    return operationCost({ ...options, variables: coerced });
  } catch (error) {
    // Fail closed: an operation whose cost is unknown does not run.
    throw new GraphQLError(`Query refused: its cost could not be computed (${(error as Error).message}).`, {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
    });
  }
}

/**
 * Costs already computed, per parsed document and then per operation name and variables.
 * Apollo keeps one parsed document per query text, so a query sent again arrives as the
 * same object; its cost depends on nothing else. Walking the document against the schema
 * takes ~0.1 ms, a tenth of what a small query's answer costs before its first statement.
 * Long variables are not kept as keys; a document keeps its latest MAX_COSTS_PER_DOCUMENT.
 */
const knownCosts = new WeakMap<DocumentNode, Map<string, CostOutcome>>();
const MAX_COSTS_PER_DOCUMENT = 100;
const MAX_COST_KEY_LENGTH = 2000;

function cachedCostOutcome(options: Parameters<typeof costOutcome>[0]): CostOutcome {
  const key = `${options.operationName ?? ''}\n${JSON.stringify(options.variables ?? {})}`;
  if (key.length > MAX_COST_KEY_LENGTH) return costOutcome(options);
  let costs = knownCosts.get(options.document);
  if (!costs) knownCosts.set(options.document, (costs = new Map()));
  let cost = costs.get(key);
  if (cost === undefined) {
    cost = costOutcome(options);
    if (costs.size >= MAX_COSTS_PER_DOCUMENT) costs.delete(costs.keys().next().value!);
    costs.set(key, cost);
  }
  return cost;
}

/**
 * Throws the error of the first limit `operation` exceeds (depth, aliases, cost); used
 * by the HTTP endpoint's plugin below and by subscriptions over WebSocket (./live).
 */
export function checkOperationLimits(limits: QueryLimits, options: Parameters<typeof costOutcome>[0]): void {
  const { depth, aliases } = measureOperation(options.document, options.operation);
  if (depth > limits.maxDepth) throw limitError('depth', depth, limits.maxDepth);
  if (aliases > limits.maxAliases) throw limitError('aliases', aliases, limits.maxAliases);
  const cost = cachedCostOutcome(options);
  if (cost === 'bad-variables') return;
  if (cost > limits.maxCost) throw limitError('cost', cost, limits.maxCost);
}

/** Refuses operations over the limits before they execute. */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  return {
    async serverWillStart({ schema }) {
      // A list the cost cannot be charged for would make every query selecting it refused.
      const unbounded = unboundedLists(schema);
      if (unbounded.length) throw new Error(`GraphQL lists without a cost bound: ${unbounded.join(', ')}`);
    },
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, operationName, request, schema }) {
          if (!operation) return;
          checkOperationLimits(limits, { schema, document, operation, operationName, variables: request.variables });
        },
      };
    },
  };
}
