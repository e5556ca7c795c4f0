// Everything the API resolves on Course: the `course` and `courses` queries, its local
// id, and the lists other domains keep per course (its submissions and their comments,
// resource links, assignments, enrollments), read through those domains' loaders and
// batched over every course of a response (one statement for all of them).
import { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import { idArgument } from '../../graphql/arguments';
import { GraphQLContext } from '../../graphql/context';
import { WithNode } from '../../graphql/node';
import { listPage, PageArgs, pageRequest, TopLevelList } from '../../graphql/pagination';
import {
  AssignmentConnection,
  assignmentLoaders,
  assignmentOrder,
  AssignmentsArgs,
  checkAssignmentFilter,
} from '../assignments';
import {
  checkEnrollmentFilter,
  EnrollmentConnection,
  enrollmentLoaders,
  ENROLLMENTS_BY_ID,
  EnrollmentsArgs,
} from '../enrollments';
import { courseStats, SubmissionStatsType } from '../reporting';
import { RESOURCE_LINKS_BY_ID, ResourceLinkConnection, resourceLinkLoaders } from '../resource-links';
import {
  checkCommentFilter,
  commentOrder,
  CommentsArgs,
  checkSubmissionFilter,
  SubmissionCommentConnection,
  SubmissionConnection,
  submissionLoaders,
  submissionOrder,
  SubmissionsArgs,
} from '../submissions';
import { applyCourseFilter, CoursesArgs } from './course.args';
import { Course } from './course.entity';
import { courseLoaders } from './course.loaders';
import { CourseConnection, CourseType } from './course.type';

const COURSES: TopLevelList<Course, CoursesArgs> = {
  entity: Course,
  order: { scope: 'courses', field: null, direction: 'ASC' },
  filter: (qb, args) => applyCourseFilter(qb, args.filter),
  loaders: courseLoaders,
};

@Resolver(() => CourseType)
export class CourseResolver extends WithNode(CourseType, {
  load: (ctx) => ctx.loaders.of(courseLoaders).byId,
  localId: 'The local part of the id, as Canvas shows it in course URLs (/courses/565).',
}) {
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
  courses(@Args() args: CoursesArgs, @Ctx() ctx: GraphQLContext) {
    return listPage(COURSES, args, ctx);
  }

  // Other domains' types are named in thunks: the submissions and resource-links
  // domains import this one too, so either may finish loading second.
  @FieldResolver(() => SubmissionConnection, {
    description: 'Submissions made in this course, filtered and sorted as asked (ascending id by default).',
  })
  submissions(
    @Root() course: Course,
    @Args(() => SubmissionsArgs) args: SubmissionsArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    const request = pageRequest(args, submissionOrder(args.orderBy));
    const filter = checkSubmissionFilter(args.filter);
    return ctx.loaders.of(submissionLoaders).pageByCourse.load({ parentId: course.id, request, filter }, info);
  }

  @FieldResolver(() => SubmissionCommentConnection, {
    description: 'Comments on the submissions of this course, filtered and sorted as asked (ascending id by default).',
  })
  comments(
    @Root() course: Course,
    @Args(() => CommentsArgs) args: CommentsArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    const request = pageRequest(args, commentOrder(args.orderBy));
    const filter = checkCommentFilter(args.filter);
    return ctx.loaders.of(submissionLoaders).commentPageByCourse.load({ parentId: course.id, request, filter }, info);
  }

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

  @FieldResolver(() => AssignmentConnection, {
    description: 'Assignments of this course, filtered and sorted as asked (ascending id by default).',
  })
  assignments(
    @Root() course: Course,
    @Args(() => AssignmentsArgs) args: AssignmentsArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    const request = pageRequest(args, assignmentOrder(args.orderBy));
    const filter = checkAssignmentFilter(args.filter);
    return ctx.loaders.of(assignmentLoaders).pageByCourse.load({ parentId: course.id, request, filter }, info);
  }

  @FieldResolver(() => EnrollmentConnection, {
    description: 'Enrollments in this course, filtered as asked, in ascending id order.',
  })
  enrollments(
    @Root() course: Course,
    @Args(() => EnrollmentsArgs) args: EnrollmentsArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    const request = pageRequest(args, ENROLLMENTS_BY_ID);
    const filter = checkEnrollmentFilter(args.filter);
    return ctx.loaders.of(enrollmentLoaders).pageByCourse.load({ parentId: course.id, request, filter }, info);
  }

  @FieldResolver(() => SubmissionStatsType, {
    description:
      "The course's submission figures, as submissionStats gives them grouped by COURSE (key.courseId set); " +
      'one statement for every course of a response level.',
  })
  stats(@Root() course: Course, @Ctx() ctx: GraphQLContext) {
    return courseStats(ctx, course.id);
  }
}
