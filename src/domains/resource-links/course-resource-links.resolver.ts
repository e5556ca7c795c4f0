// Course.resourceLinks: the links placed directly in a course, batched over every
// course of a response.
import { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import { PageArgs, pageRequest } from '../../graphql/pagination';
import { GraphQLContext } from '../../graphql/context';
import { Course } from '../courses/course.entity';
import { CourseType } from '../courses/course.type';
import { RESOURCE_LINKS_BY_ID, ResourceLinkConnection } from './resource-link.resolver';
import { resourceLinkLoaders } from './resource-link.loaders';

@Resolver(() => CourseType)
export class CourseResourceLinksResolver {
  @FieldResolver(() => ResourceLinkConnection, {
    description: 'LTI resource links placed directly in this course (not in its assignments), in ascending id order.',
  })
  resourceLinks(
    @Root() course: Course,
    @Args() args: PageArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    const request = pageRequest(args, RESOURCE_LINKS_BY_ID);
    return ctx.loaders.of(resourceLinkLoaders).pageByCourse.load({ parentId: course.id, request, filter: null }, info);
  }
}
