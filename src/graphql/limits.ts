// Limits on what one GraphQL operation may ask for, checked after the operation is
// resolved and before anything executes: nesting depth, aliases, and cost. Cost is
// computed with graphql-query-complexity and approximates the most objects the operation
// can return: an object costs 1, scalars are free, and a connection (a field taking
// `first`) multiplies what each item costs by the page size asked for (20 when omitted),
// so `courses(first: 100) { nodes { submissions(first: 100) { nodes { id } } } }` costs
// 1 + 100 × (1 + 1 + 100 × 1) = 10,201. A refused operation is answered 400 with a
// message naming the limit and the figures, and `extensions.limit` for programs.
import type { ApolloServerPlugin } from '@apollo/server';
import {
  DocumentNode,
  FragmentDefinitionNode,
  getNamedType,
  GraphQLError,
  isLeafType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import { ComplexityEstimator, getComplexity } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE } from './pagination';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

export type LimitName = 'depth' | 'aliases' | 'cost';

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
 * Objects cost 1 plus what they select; scalars cost nothing; a connection costs 1 plus,
 * for each item it may return, 1 plus what the item selects.
 */
export const objectCountEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  if (field.args.some((arg) => arg.name === 'first')) {
    const first = typeof args.first === 'number' && args.first >= 0 ? args.first : DEFAULT_PAGE_SIZE;
    return 1 + first * (1 + childComplexity);
  }
  if (isLeafType(getNamedType(field.type))) return 0;
  if (isConnectionWrapper(type.name, field.name)) return childComplexity;
  return 1 + childComplexity;
};

export function operationCost(options: {
  schema: Parameters<typeof getComplexity>[0]['schema'];
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown>;
}): number {
  return getComplexity({
    schema: options.schema,
    query: options.document,
    operationName: options.operationName ?? undefined,
    variables: options.variables ?? {},
    estimators: [objectCountEstimator],
  });
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

/**
 * Costs already computed, per parsed document and then per operation name and variables.
 * Apollo keeps one parsed document per query text, so a query sent again arrives as the
 * same object; its cost depends on nothing else. Walking the document against the schema
 * takes ~0.1 ms, a tenth of what a small query's answer costs before its first statement.
 * Long variables are not kept as keys; a document keeps its latest MAX_COSTS_PER_DOCUMENT.
 */
const knownCosts = new WeakMap<DocumentNode, Map<string, number>>();
const MAX_COSTS_PER_DOCUMENT = 100;
const MAX_COST_KEY_LENGTH = 2000;

function cachedOperationCost(options: Parameters<typeof operationCost>[0]): number {
  const key = `${options.operationName ?? ''}\n${JSON.stringify(options.variables ?? {})}`;
  if (key.length > MAX_COST_KEY_LENGTH) return operationCost(options);
  let costs = knownCosts.get(options.document);
  if (!costs) knownCosts.set(options.document, (costs = new Map()));
  let cost = costs.get(key);
  if (cost === undefined) {
    cost = operationCost(options);
    if (costs.size >= MAX_COSTS_PER_DOCUMENT) costs.delete(costs.keys().next().value!);
    costs.set(key, cost);
  }
  return cost;
}

/** Refuses operations over the limits before they execute. */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, operationName, request, schema }) {
          if (!operation) return;
          const { depth, aliases } = measureOperation(document, operation);
          if (depth > limits.maxDepth) throw limitError('depth', depth, limits.maxDepth);
          if (aliases > limits.maxAliases) throw limitError('aliases', aliases, limits.maxAliases);
          let cost: number;
          try {
            cost = cachedOperationCost({ schema, document, operationName, variables: request.variables });
          } catch {
            // Bad variable values: execution reports them with GraphQL's own message.
            return;
          }
          if (cost > limits.maxCost) throw limitError('cost', cost, limits.maxCost);
        },
      };
    },
  };
}
