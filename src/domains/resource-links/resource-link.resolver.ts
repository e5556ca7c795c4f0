// Everything the API resolves on ResourceLink: the `resourceLink` and `resourceLinks`
// queries, its local id, and the course it is placed in (through the courses domain's
// loaders).
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { idArgument } from '../../graphql/arguments';
import { GraphQLContext } from '../../graphql/context';
import { WithNode } from '../../graphql/node';
import { listPage, TopLevelList } from '../../graphql/pagination';
import { courseLoaders, CourseType } from '../courses';
import {
  applyResourceLinkFilter,
  checkResourceLinkFilter,
  RESOURCE_LINKS_BY_ID,
  ResourceLinksArgs,
} from './resource-link.args';
import { ResourceLink } from './resource-link.entity';
import { resourceLinkLoaders } from './resource-link.loaders';
import { ResourceLinkConnection, ResourceLinkType } from './resource-link.type';

const RESOURCE_LINKS: TopLevelList<ResourceLink, ResourceLinksArgs> = {
  entity: ResourceLink,
  order: RESOURCE_LINKS_BY_ID,
  filter: (qb, args) => applyResourceLinkFilter(qb, checkResourceLinkFilter(args.filter)),
  loaders: resourceLinkLoaders,
};

@Resolver(() => ResourceLinkType)
export class ResourceLinkResolver extends WithNode(ResourceLinkType, {
  load: (ctx) => ctx.loaders.of(resourceLinkLoaders).byId,
}) {
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
  resourceLinks(@Args() args: ResourceLinksArgs, @Ctx() ctx: GraphQLContext) {
    return listPage(RESOURCE_LINKS, args, ctx);
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
