// Our @FieldResolver methods, called straight from graphql-js once the schema is built.
//
// type-graphql calls every field resolver through a generic wrapper. On every call it
// sorts the parameter metadata, converts the arguments into instances of their classes,
// and awaits their validation even when validation is off, which makes each field
// resolver with arguments asynchronous and run after its siblings
// (MichalLytek/type-graphql#487, #1711). A field of a list item is resolved once per
// item: thousands of wrapper calls for one response, and about a sixth of the course
// dashboard's time at N = 100 (bench/NOTES.md). Our field resolvers need none of what the
// wrapper adds: they take only @Root, @Args / @Arg, @Ctx and @Info, read their arguments
// as plain data (no defaults or methods on argument classes), and the schema is built
// without validation, middlewares or an auth checker. So each is called with what
// graphql-js passes (its arguments are already coerced to the schema's types). A resolver
// that needs more — a middleware, @Authorized, a custom parameter — keeps the wrapper.
import type { GraphQLFieldResolver, GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import { isObjectType } from 'graphql';
import { BuildSchemaOptions, getMetadataStorage } from 'type-graphql';

type Parameter = (root: unknown, args: Record<string, unknown>, context: unknown, info: GraphQLResolveInfo) => unknown;
type FieldResolverMetadata = ReturnType<typeof getMetadataStorage>['fieldResolvers'][number];
type ParamMetadata = NonNullable<FieldResolverMetadata['params']>[number];

const direct = new WeakSet<GraphQLFieldResolver<unknown, unknown>>();

/** Whether `resolve` is one of ours called directly (for tests). */
export function isDirectResolver(resolve: GraphQLFieldResolver<unknown, unknown> | undefined): boolean {
  return resolve !== undefined && direct.has(resolve);
}

/**
 * Replaces type-graphql's wrapper around each field resolver of `options.resolvers` in
 * `schema` (built from `options`) by a direct call of the method, where nothing is lost.
 */
export function callFieldResolversDirectly(schema: GraphQLSchema, options: BuildSchemaOptions): GraphQLSchema {
  if (options.validate !== false || options.globalMiddlewares?.length || options.authChecker) return schema;
  const storage = getMetadataStorage();
  const instances = new Map<Function, object>(); // eslint-disable-line @typescript-eslint/no-unsafe-function-type
  for (const metadata of storage.fieldResolvers) {
    const resolverClass =
      metadata.kind === 'external' ? resolverClassOf(metadata.target, options.resolvers) : undefined;
    if (!resolverClass) continue;
    const objectClass = metadata.getObjectType?.();
    const typeName = storage.objectTypes.find((type) => type.target === objectClass)?.name;
    const type = typeName ? schema.getType(typeName) : undefined;
    const field = isObjectType(type) ? type.getFields()[metadata.schemaName] : undefined;
    if (!field) continue;
    // One instance per resolver class, as type-graphql's default container keeps; ours hold no state.
    let instance = instances.get(resolverClass);
    if (!instance) instances.set(resolverClass, (instance = new (resolverClass as new () => object)()));
    const resolve = directResolver(metadata, instance);
    if (resolve) field.resolve = resolve;
  }
  return schema;
}

/**
 * The class of `resolvers` whose field resolver `declaringClass` declares: itself, or the
 * subclass that inherits it (type-graphql's resolver inheritance, as in ./local-id.ts:
 * type-graphql moves such a field resolver onto the subclass in its own copy of the
 * metadata only, so the global metadata still names the base class).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function resolverClassOf(declaringClass: Function, resolvers: readonly Function[]): Function | undefined {
  return resolvers.find(
    (resolver) => resolver === declaringClass || Object.prototype.isPrototypeOf.call(declaringClass, resolver),
  );
}

function directResolver(
  metadata: FieldResolverMetadata,
  instance: object,
): GraphQLFieldResolver<unknown, unknown> | null {
  if (metadata.middlewares?.length || metadata.roles !== undefined) return null;
  const parameters: Parameter[] = [];
  for (const param of [...(metadata.params ?? [])].sort((a, b) => a.index - b.index)) {
    const parameter = parameterOf(param);
    if (!parameter) return null;
    parameters.push(parameter);
  }
  const method = (instance as Record<string, (...values: unknown[]) => unknown>)[metadata.methodName];
  const resolve: GraphQLFieldResolver<unknown, unknown> = (root, args, context, info) => {
    const values = new Array<unknown>(parameters.length);
    for (let i = 0; i < parameters.length; i++) values[i] = parameters[i](root, args, context, info);
    return method.apply(instance, values);
  };
  direct.add(resolve);
  return resolve;
}

function parameterOf(param: ParamMetadata): Parameter | null {
  switch (param.kind) {
    case 'root': {
      const property = param.propertyName;
      return property === undefined ? (root) => root : (root) => (root as Record<string, unknown>)[property];
    }
    case 'args':
      return (_root, args) => args;
    case 'arg': {
      const name = param.name;
      return (_root, args) => args[name];
    }
    case 'context': {
      const property = param.propertyName;
      return property === undefined
        ? (_root, _args, context) => context
        : (_root, _args, context) => (context as Record<string, unknown>)[property];
    }
    case 'info':
      return (_root, _args, _context, info) => info;
    default:
      return null;
  }
}
