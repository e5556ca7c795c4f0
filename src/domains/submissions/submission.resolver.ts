// Everything the API resolves on Submission: the `submission` and `submissions` queries,
// its local id, comments and history, and the course, user and assignment it belongs to
// (through the courses, users and assignments domains' loaders).
import { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root, Subscription } from 'type-graphql';
import { idArgument } from '../../graphql/arguments';
import { GraphQLContext } from '../../graphql/context';
import { WithNode } from '../../graphql/node';
import { ListOrder, listPage, PageArgs, pageRequest, TopLevelList } from '../../graphql/pagination';
import { assignmentLoaders, AssignmentType } from '../assignments';
import { courseLoaders, CourseType } from '../courses';
import { userLoaders, UserType } from '../users';
import { DEFAULT_HISTORY_SIZE, HistoryArgs, listSize } from '../../graphql/list-bounds';
import { changedIds, LiveItem, liveUpdates, liveValue, touches } from '../../graphql/live';
import {
  applySubmissionFilter,
  checkSubmissionFilter,
  matchesSubmissionFilter,
  SubmissionFilter,
  submissionOrder,
  SubmissionsArgs,
} from './submission.args';
import { SubmissionCommentConnection } from './submission-comment.type';
import { SubmissionVersionType } from './submission-version.type';
import { Submission } from './submission.entity';
import { submissionLoaders } from './submission.loaders';
import { SubmissionConnection, SubmissionType } from './submission.type';

const SUBMISSIONS: TopLevelList<Submission, SubmissionsArgs> = {
  entity: Submission,
  order: (args) => submissionOrder(args.orderBy),
  filter: (qb, args) => applySubmissionFilter(qb, checkSubmissionFilter(args.filter)),
  loaders: submissionLoaders,
};

// Canvas ids grow with time, so id order is creation order: oldest comment first.
const COMMENTS_OLDEST_FIRST: ListOrder = { scope: 'submissionComments', field: null, direction: 'ASC' };

@Resolver(() => SubmissionType)
export class SubmissionResolver extends WithNode(SubmissionType, {
  load: (ctx) => ctx.loaders.of(submissionLoaders).byId,
  localId: 'The local part of the id (without the shard), as in Canvas URLs.',
}) {
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
  submissions(@Args() args: SubmissionsArgs, @Ctx() ctx: GraphQLContext) {
    return listPage(SUBMISSIONS, args, ctx);
  }

  @Subscription(() => SubmissionType, {
    description:
      'Each submission created or changed from now on, in its newest state, that matches the filter (all when omitted). Over WebSocket (graphql-ws) at /graphql.',
    subscribe: ({ args, context }: { args: { filter?: SubmissionFilter | null }; context: GraphQLContext }) => {
      const filter = checkSubmissionFilter(args.filter);
      const table = context.dataSource.getMetadata(Submission).tableName;
      return liveUpdates(context, {
        wants: touches(table),
        select: async (event, loaders) => {
          const ids = changedIds(event, table);
          if (ids.length === 0) return [];
          const rows = await loaders.of(submissionLoaders).byId.loadMany(ids);
          return rows.filter(
            (row): row is Submission => row !== null && !(row instanceof Error) && matchesSubmissionFilter(row, filter),
          );
        },
      });
    },
  })
  submissionChanged(
    @Root() update: LiveItem<Submission>,
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => SubmissionFilter, { nullable: true, description: 'Which submissions; all when omitted.' })
    _filter?: SubmissionFilter | null,
  ) {
    return liveValue(update, ctx);
  }

  @FieldResolver(() => CourseType, {
    nullable: true,
    description: 'The course it was made in (metadata.context_id of its events, when the context is a course).',
  })
  course(@Root() submission: Submission, @Ctx() ctx: GraphQLContext) {
    return submission.courseId ? ctx.loaders.of(courseLoaders).byId.load(submission.courseId) : null;
  }

  @FieldResolver(() => AssignmentType, {
    nullable: true,
    description: 'The assignment submitted to (assignmentId); known by id and course even before its own events.',
  })
  assignment(@Root() submission: Submission, @Ctx() ctx: GraphQLContext) {
    return submission.assignmentId ? ctx.loaders.of(assignmentLoaders).byId.load(submission.assignmentId) : null;
  }

  @FieldResolver(() => UserType, {
    nullable: true,
    description: 'The user who submitted (userId); null while no launch or live event of theirs is known.',
  })
  user(@Root() submission: Submission, @Ctx() ctx: GraphQLContext) {
    return submission.userId ? ctx.loaders.of(userLoaders).byId.load(submission.userId) : null;
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
