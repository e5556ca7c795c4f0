// Queries for submissions, and a submission's course, comments and history.
import { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import { idArgument } from '../../graphql/arguments';
import { connectionType, findPage, ListOrder, PageArgs, pageRequest } from '../../graphql/connection';
import { GraphQLContext, prime } from '../../graphql/context';
import { DEFAULT_HISTORY_SIZE, HistoryArgs, listSize } from '../../graphql/list-bounds';
import { localIdOf } from '../../canvas/canvas-id';
import { courseLoaders } from '../courses/course.loaders';
import { CourseType } from '../courses/course.type';
import { applySubmissionFilter, checkSubmissionFilter, submissionOrder, SubmissionsArgs } from './submission.args';
import { SubmissionCommentType } from './submission-comment.type';
import { SubmissionVersionType } from './submission-version.type';
import { Submission } from './submission.entity';
import { submissionLoaders } from './submission.loaders';
import { SubmissionType } from './submission.type';

export const SubmissionConnection = connectionType(SubmissionType, 'Submission', 'submissions');
const SubmissionCommentConnection = connectionType(SubmissionCommentType, 'SubmissionComment', 'submission comments');

// Canvas ids grow with time, so id order is creation order: oldest comment first.
const COMMENTS_OLDEST_FIRST: ListOrder = { scope: 'submissionComments', field: null, direction: 'ASC' };

@Resolver(() => SubmissionType)
export class SubmissionResolver {
  @Query(() => SubmissionType, { nullable: true, description: 'One submission by its global id; null when unknown.' })
  submission(
    @Arg('id', () => ID, { description: 'Global Canvas id of the submission.' }) id: string,
    @Ctx() ctx: GraphQLContext,
  ) {
    return ctx.loaders.of(submissionLoaders).byId.load(idArgument(id, 'id'));
  }

  @Query(() => SubmissionConnection, {
    description: 'Submissions in every course, filtered and sorted as asked (ascending id by default).',
  })
  async submissions(@Args() args: SubmissionsArgs, @Ctx() ctx: GraphQLContext) {
    const request = pageRequest(args, submissionOrder(args.orderBy));
    const qb = ctx.dataSource.createQueryBuilder(Submission, 'n');
    applySubmissionFilter(qb, checkSubmissionFilter(args.filter));
    const page = await findPage(qb, request);
    prime(ctx.loaders.of(submissionLoaders).byId, page.nodes);
    return page;
  }

  @FieldResolver(() => ID, { description: 'The local part of the id (without the shard), as in Canvas URLs.' })
  localId(@Root() submission: Submission): string {
    return localIdOf(submission.id);
  }

  @FieldResolver(() => CourseType, {
    nullable: true,
    description: 'The course it was made in (metadata.context_id of its events, when the context is a course).',
  })
  course(@Root() submission: Submission, @Ctx() ctx: GraphQLContext) {
    return submission.courseId ? ctx.loaders.of(courseLoaders).byId.load(submission.courseId) : null;
  }

  @FieldResolver(() => SubmissionCommentConnection, { description: 'Comments on the submission, oldest first.' })
  comments(
    @Root() submission: Submission,
    @Args() args: PageArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    const request = pageRequest(args, COMMENTS_OLDEST_FIRST);
    return ctx.loaders.of(submissionLoaders).commentPage.load({ parentId: submission.id, request, filter: null }, info);
  }

  @FieldResolver(() => [SubmissionVersionType], {
    description:
      'Every state this submission was seen in, oldest first (by its own clock, then by arrival); the first `first` of them.',
  })
  async history(@Root() submission: Submission, @Args() args: HistoryArgs, @Ctx() ctx: GraphQLContext) {
    const first = listSize(args, DEFAULT_HISTORY_SIZE);
    return (await ctx.loaders.of(submissionLoaders).history.load(submission.id)).slice(0, first);
  }
}
