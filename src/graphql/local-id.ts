// The `localId` field of every type named by a Canvas id: the id without its shard, as
// Canvas shows it in URLs. One field resolver, inherited by each type's resolver class:
//
//   @Resolver(() => CourseType)
//   export class CourseResolver extends WithLocalId(CourseType, 'The local part ...') { ... }
//
// type-graphql moves an inherited field resolver onto the subclass when the schema is
// built (so it is in the schema's resolver list and called directly, ./direct-resolvers.ts),
// but only once per base class: hence a new base class per call, never a shared one.
import { ClassType, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { localIdOf } from '../canvas/canvas-id';

const DEFAULT_DESCRIPTION = 'The local part of the id (without the shard).';

/** A base class for the resolver of `type` that adds its `localId` field. */
export function WithLocalId(type: ClassType, description: string = DEFAULT_DESCRIPTION) {
  @Resolver(() => type)
  abstract class LocalIdResolver {
    @FieldResolver(() => ID, { description })
    localId(@Root() row: { id: string }): string {
      return localIdOf(row.id);
    }
  }
  return LocalIdResolver;
}
