// Course.submissions: a page of a course's submissions, batched over every course of a
// response (one statement for all of them).
import { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import { pageRequest } from '../../graphql/pagination';
import { GraphQLContext } from '../../graphql/context';
import { Course } from '../courses/course.entity';
import { CourseType } from '../courses/course.type';
import { checkSubmissionFilter, submissionOrder, SubmissionsArgs } from './submission.args';
import { submissionLoaders } from './submission.loaders';
import { SubmissionConnection } from './submission.resolver';

@Resolver(() => CourseType)
export class CourseSubmissionsResolver {
  @FieldResolver(() => SubmissionConnection, {
    description: 'Submissions made in this course, filtered and sorted as asked (ascending id by default).',
  })
  submissions(
    @Root() course: Course,
    @Args() args: SubmissionsArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    const request = pageRequest(args, submissionOrder(args.orderBy));
    const filter = checkSubmissionFilter(args.filter);
    return ctx.loaders.of(submissionLoaders).pageByCourse.load({ parentId: course.id, request, filter }, info);
  }
}
