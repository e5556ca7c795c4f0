// Queries for courses: one by id, or a page of them in id order.
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { idParams } from '../../db/columns';
import { idArgument, idListArgument, optionalIdArgument } from '../../graphql/arguments';
import { connectionType, findPage, ListOrder, pageRequest } from '../../graphql/pagination';
import { GraphQLContext, prime } from '../../graphql/context';
import { localIdOf } from '../../canvas/canvas-id';
import { CoursesArgs } from './course.args';
import { Course } from './course.entity';
import { courseLoaders } from './course.loaders';
import { CourseType } from './course.type';

export const CourseConnection = connectionType(CourseType, 'Course', 'courses');

const BY_ID: ListOrder = { scope: 'courses', field: null, direction: 'ASC' };

@Resolver(() => CourseType)
export class CourseResolver {
  @Query(() => CourseType, {
    nullable: true,
    description: 'One course by its global id; null when no event has named it.',
  })
  course(
    @Arg('id', () => ID, { description: 'Global Canvas id of the course.' }) id: string,
    @Ctx() ctx: GraphQLContext,
  ) {
    return ctx.loaders.of(courseLoaders).byId.load(idArgument(id, 'id'));
  }

  @Query(() => CourseConnection, { description: 'Courses seen in events, in ascending id order.' })
  async courses(@Args() args: CoursesArgs, @Ctx() ctx: GraphQLContext) {
    const request = pageRequest(args, BY_ID);
    const ids = idListArgument(args.filter?.ids, 'filter.ids');
    const accountId = optionalIdArgument(args.filter?.accountId, 'filter.accountId');
    const qb = ctx.dataSource.createQueryBuilder(Course, 'n');
    if (ids) qb.andWhere(ids.length ? 'n.id IN (:...ids)' : '1 = 0', { ids: idParams(ids) });
    if (accountId) qb.andWhere('n.accountId = :accountId', { accountId: BigInt(accountId) });
    const page = await findPage(qb, request);
    prime(ctx.loaders.of(courseLoaders).byId, page.nodes);
    return page;
  }

  @FieldResolver(() => ID, {
    description: 'The local part of the id, as Canvas shows it in course URLs (/courses/565).',
  })
  localId(@Root() course: Course): string {
    return localIdOf(course.id);
  }
}
