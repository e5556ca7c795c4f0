// Queries for resource links, and the course a link is placed in.
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { idArgument } from '../../graphql/arguments';
import { connectionType, findPage, ListOrder, pageRequest } from '../../graphql/pagination';
import { GraphQLContext, prime } from '../../graphql/context';
import { localIdOf } from '../../canvas/canvas-id';
import { courseLoaders } from '../courses/course.loaders';
import { CourseType } from '../courses/course.type';
import { applyResourceLinkFilter, checkResourceLinkFilter, ResourceLinksArgs } from './resource-link.args';
import { ResourceLink } from './resource-link.entity';
import { resourceLinkLoaders } from './resource-link.loaders';
import { ResourceLinkType } from './resource-link.type';

export const ResourceLinkConnection = connectionType(ResourceLinkType, 'ResourceLink', 'resource links');

export const RESOURCE_LINKS_BY_ID: ListOrder = { scope: 'resourceLinks', field: null, direction: 'ASC' };

@Resolver(() => ResourceLinkType)
export class ResourceLinkResolver {
  @Query(() => ResourceLinkType, {
    nullable: true,
    description: 'One resource link by its global id; null when unknown.',
  })
  resourceLink(
    @Arg('id', () => ID, { description: 'Global Canvas id of the link.' }) id: string,
    @Ctx() ctx: GraphQLContext,
  ) {
    return ctx.loaders.of(resourceLinkLoaders).byId.load(idArgument(id, 'id'));
  }

  @Query(() => ResourceLinkConnection, { description: 'LTI resource links, in ascending id order.' })
  async resourceLinks(@Args() args: ResourceLinksArgs, @Ctx() ctx: GraphQLContext) {
    const request = pageRequest(args, RESOURCE_LINKS_BY_ID);
    const filter = checkResourceLinkFilter(args.filter);
    const qb = ctx.dataSource.createQueryBuilder(ResourceLink, 'n');
    applyResourceLinkFilter(qb, filter);
    const page = await findPage(qb, request);
    prime(ctx.loaders.of(resourceLinkLoaders).byId, page.nodes);
    return page;
  }

  @FieldResolver(() => ID, { description: 'The local part of the id (without the shard).' })
  localId(@Root() link: ResourceLink): string {
    return localIdOf(link.id);
  }

  @FieldResolver(() => CourseType, {
    nullable: true,
    description: 'The course the link is placed in, when contextType is Course.',
  })
  course(@Root() link: ResourceLink, @Ctx() ctx: GraphQLContext) {
    if (link.contextType !== 'Course') return null;
    return ctx.loaders.of(courseLoaders).byId.load(link.contextId);
  }
}
