// Global object identification (Relay's `Node`): every object type with an id has an opaque
// `nodeId`, unique across types (a course and a user may share a Canvas id), and
// `node(nodeId:)` / `nodes(nodeIds:)` fetch any object by it. `id` keeps its meaning (the
// Canvas id). A type becomes a Node with one line, in its resolver class:
//
//   @Resolver(() => CourseType)
//   export class CourseResolver extends WithNode(CourseType, {
//     load: (ctx) => ctx.loaders.of(courseLoaders).byId,
//     localId: 'The local part of the id, as Canvas shows it in course URLs (/courses/565).',
//   }) { ... }
//
// WithNode adds `nodeId` (and `localId`, as WithLocalId does), declares that the type
// implements Node, and registers how `node` loads it: through the type's own by-id loader
// of the request, so `node`, `nodes` and the type's other fields share one batch and one
// cache, and the type's field resolvers (personal data for admins only) apply unchanged.
import DataLoader from 'dataloader';
import {
  Arg,
  ClassType,
  Ctx,
  Field,
  FieldResolver,
  getMetadataStorage,
  ID,
  InterfaceType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { idProblem, normalizeId } from '../canvas/canvas-id';
import { BadInputError } from '../errors';
import { GraphQLContext } from './context';
import { WithLocalId } from './local-id';

/** How `node` finds the objects of one type. */
export interface NodeSource {
  /** The type's by-id loader of this request (unknown ids load as null). */
  load(ctx: GraphQLContext): DataLoader<string, object | null>;
  /** Throws (e.g. ForbiddenError) when this caller may not read the type at all, as its own query would. */
  authorize?(ctx: GraphQLContext): void;
  /** The `localId` field's description (WithLocalId's default when omitted); false for a type whose id is not a Canvas id (the event log's). */
  localId?: string | false;
}

/** Most ids `nodes` takes at once; its cost is charged per id asked for (./limits.ts). */
export const MAX_NODE_IDS = 100;

/** Longest nodeId accepted: a type name and a 20-digit id, base64url-encoded, fit well within. */
const MAX_NODE_ID_LENGTH = 120;

@InterfaceType('Node', {
  description:
    'Global object identification (Relay): an object with an id. `nodeId` is opaque, unique across all types ' +
    'and stable; fetch any object by it with `node` or `nodes`.',
  resolveType: (value: object) => typeOfFetched.get(value),
})
export abstract class NodeInterface {
  @Field(() => ID, {
    description: 'Opaque id of this object, unique across types (Relay). Use `id` for the Canvas id.',
  })
  nodeId: string;
}

const sources = new Map<string, NodeSource>();

/**
 * The type of each object `node` or `nodes` returned, for the interface's type resolution
 * (rows are entities, not instances of the GraphQL type classes). A row object belongs to
 * one table, hence one type.
 */
const typeOfFetched = new WeakMap<object, string>();

/** The nodeId of the object of `typeName` with this id: `base64url("<typeName>:<id>")`. */
export function encodeNodeId(typeName: string, id: string): string {
  return Buffer.from(`${typeName}:${id}`, 'utf8').toString('base64url');
}

/** The type and id a nodeId names; BadInputError at `path` if it is not one this API issued. */
export function decodeNodeId(nodeId: string, path: string): { typeName: string; id: string } {
  const refuse = (why: string): never => {
    throw new BadInputError(`${why}, got "${nodeId.slice(0, 40)}"`, path);
  };
  if (nodeId.length > MAX_NODE_ID_LENGTH || !/^[A-Za-z0-9_-]+$/.test(nodeId)) {
    refuse('is not a nodeId (take it from the nodeId field of an object)');
  }
  const text = Buffer.from(nodeId, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  const typeName = text.slice(0, colon);
  const id = text.slice(colon + 1);
  if (colon < 0 || !sources.has(typeName) || idProblem(id) !== null) {
    refuse('is not a nodeId (take it from the nodeId field of an object)');
  }
  // One spelling per object: a nodeId with leading zeros, or another base64 padding of
  // the same text, would make a client's cache keep two records of one object.
  if (encodeNodeId(typeName, normalizeId(id)) !== nodeId) refuse('is not a nodeId in its canonical form');
  return { typeName, id };
}

/**
 * A base class for the resolver of `type` (a Canvas object with an `id`): adds `nodeId`
 * and `localId`, makes the type implement Node, and lets `node` load it via `source`.
 */
export function WithNode(type: ClassType, source: NodeSource) {
  const storage = getMetadataStorage();
  const metadata = storage.objectTypes.find((objectType) => objectType.target === type);
  if (!metadata) throw new Error(`WithNode(${type.name}): not an @ObjectType class`);
  const typeName = metadata.name;
  if (sources.has(typeName)) throw new Error(`WithNode(${typeName}) is declared twice`);
  sources.set(typeName, source);
  // What `@ObjectType({ implements: NodeInterface })` would have declared: the type's
  // schema is built from this metadata when the schema is built, after every resolver
  // module has loaded.
  metadata.interfaceClasses = [...(metadata.interfaceClasses ?? []), NodeInterface];

  // type-graphql moves an inherited field resolver onto the subclass once per base class
  // (see ./local-id.ts): a new class per call.
  const base: abstract new () => object = source.localId === false ? class {} : WithLocalId(type, source.localId);
  @Resolver(() => type)
  abstract class NodeResolverBase extends base {
    @FieldResolver(() => ID, {
      description: 'Opaque id of this object, unique across types (Relay). Use `id` for the Canvas id.',
    })
    nodeId(@Root() row: { id: string }): string {
      return encodeNodeId(typeName, row.id);
    }
  }
  return NodeResolverBase;
}

/** The object a nodeId names, null when there is none; an error for a bad nodeId or a forbidden type. */
async function fetchNode(nodeId: string, path: string, ctx: GraphQLContext): Promise<object | null> {
  const { typeName, id } = decodeNodeId(nodeId, path);
  const source = sources.get(typeName)!;
  source.authorize?.(ctx);
  const row = await source.load(ctx).load(id);
  if (row) typeOfFetched.set(row, typeName);
  return row;
}

@Resolver(() => NodeInterface)
export class NodeResolver {
  @Query(() => NodeInterface, {
    nullable: true,
    description:
      'Any object by its nodeId (Relay); null when it no longer exists. A string that is not a nodeId this API ' +
      'issued is an error (BAD_USER_INPUT), not null: a typo is not mistaken for a deleted object.',
  })
  node(
    @Arg('nodeId', () => ID, { description: 'The nodeId field of the object.' }) nodeId: string,
    @Ctx() ctx: GraphQLContext,
  ) {
    return fetchNode(nodeId, 'nodeId', ctx);
  }

  @Query(() => [NodeInterface], {
    nullable: 'items',
    description:
      `Objects by nodeId, in the order asked (at most ${MAX_NODE_IDS}), loaded in one batch per type; null where an ` +
      'object no longer exists. A bad nodeId is an error at its own position; the others are still answered.',
  })
  async nodes(
    @Arg('nodeIds', () => [ID], { description: `At most ${MAX_NODE_IDS} nodeIds.` }) nodeIds: string[],
    @Ctx() ctx: GraphQLContext,
  ) {
    if (nodeIds.length > MAX_NODE_IDS) {
      throw new BadInputError(`may hold at most ${MAX_NODE_IDS} nodeIds, got ${nodeIds.length}`, 'nodeIds');
    }
    // An Error in the list becomes an error (and null) at that item's position.
    return Promise.all(
      nodeIds.map((nodeId, index) => fetchNode(nodeId, `nodeIds[${index}]`, ctx).catch((error: Error) => error)),
    );
  }
}
