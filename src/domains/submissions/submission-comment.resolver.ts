// Everything the API resolves on SubmissionComment: the `comments` query (across
// submissions), its local id, the submission commented on, its attachments, and its
// author (through the users domain's loaders).
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root, Subscription } from 'type-graphql';
import { GraphQLContext } from '../../graphql/context';
import { changedIds, LiveItem, liveUpdates, liveValue, touches } from '../../graphql/live';
import { WithNode } from '../../graphql/node';
import { userLoaders, UserType } from '../users';
import { MAX_ATTACHMENT_IDS } from '../../graphql/list-bounds';
import { listPage, TopLevelList } from '../../graphql/pagination';
import {
  applyCommentFilter,
  checkCommentFilter,
  CommentFilter,
  commentOrder,
  CommentsArgs,
  matchesCommentFilter,
} from './submission-comment.args';
import { SubmissionComment } from './submission-comment.entity';
import { SubmissionCommentConnection, SubmissionCommentType } from './submission-comment.type';
import { submissionLoaders } from './submission.loaders';
import { SubmissionType } from './submission.type';

const COMMENTS: TopLevelList<SubmissionComment, CommentsArgs> = {
  entity: SubmissionComment,
  order: (args) => commentOrder(args.orderBy),
  filter: (qb, args) => applyCommentFilter(qb, checkCommentFilter(args.filter)),
};

@Resolver(() => SubmissionCommentType)
export class SubmissionCommentResolver extends WithNode(SubmissionCommentType, {
  load: (ctx) => ctx.loaders.of(submissionLoaders).commentById,
}) {
  @Query(() => SubmissionCommentConnection, {
    description: 'Every comment, across submissions, filtered and sorted as asked (ascending id by default).',
  })
  comments(@Args() args: CommentsArgs, @Ctx() ctx: GraphQLContext) {
    return listPage(COMMENTS, args, ctx);
  }

  @Subscription(() => SubmissionCommentType, {
    description:
      'Each comment added from now on that matches the filter (all when omitted). Over WebSocket (graphql-ws) at /graphql.',
    subscribe: ({ args, context }: { args: { filter?: CommentFilter | null }; context: GraphQLContext }) => {
      const filter = checkCommentFilter(args.filter);
      const table = context.dataSource.getMetadata(SubmissionComment).tableName;
      return liveUpdates(context, {
        wants: touches(table, true),
        select: async (event, loaders) => {
          const added: SubmissionComment[] = [];
          for (const id of changedIds(event, table, true)) {
            const comment = await loaders.of(submissionLoaders).commentById.load(id);
            const submission = () => loaders.of(submissionLoaders).byId.load(comment!.submissionId);
            if (comment && (await matchesCommentFilter(comment, filter, submission))) added.push(comment);
          }
          return added;
        },
      });
    },
  })
  commentAdded(
    @Root() update: LiveItem<SubmissionComment>,
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => CommentFilter, { nullable: true, description: 'Which comments; all when omitted.' })
    _filter?: CommentFilter | null,
  ) {
    return liveValue(update, ctx);
  }

  @FieldResolver(() => SubmissionType, { description: 'The submission commented on.' })
  async submission(@Root() comment: SubmissionComment, @Ctx() ctx: GraphQLContext) {
    // The comment projector creates the submission row when it is not known yet.
    const submission = await ctx.loaders.of(submissionLoaders).byId.load(comment.submissionId);
    if (!submission) throw new Error(`submission ${comment.submissionId} of comment ${comment.id} is missing`);
    return submission;
  }

  @FieldResolver(() => [ID], {
    description: `Global ids of the files attached to the comment (body.attachment_ids, widened to global); the first ${MAX_ATTACHMENT_IDS}.`,
  })
  attachmentIds(@Root() comment: SubmissionComment): string[] {
    return (JSON.parse(comment.attachmentIds) as string[]).slice(0, MAX_ATTACHMENT_IDS);
  }

  @FieldResolver(() => UserType, {
    nullable: true,
    description: 'The user who wrote the comment (authorId); null while no launch or live event of theirs is known.',
  })
  author(@Root() comment: SubmissionComment, @Ctx() ctx: GraphQLContext) {
    return comment.authorId ? ctx.loaders.of(userLoaders).byId.load(comment.authorId) : null;
  }
}
