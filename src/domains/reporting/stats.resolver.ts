// The aggregate queries: submissionStats, commentStats and messageStats, each one GROUP
// BY statement per page of groups (src/reporting), plus one for totalCount when asked.
// Bad arguments (an unknown time zone, a dimension listed twice, two periods, `first`
// out of bounds, a cursor of another query) are BAD_USER_INPUT naming the argument.
import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { aggregate, commentDataset, messageDataset, submissionDataset } from '../../reporting';
import {
  CommentStatsArgs,
  commentStatsFilter,
  MessageStatsArgs,
  messageStatsFilter,
  SubmissionStatsArgs,
  submissionStatsFilterOf,
} from './stats.args';
import { ActivityStatsConnection, StatsConnection, SubmissionStatsConnection, SubmissionStatsType } from './stats.type';

@Resolver(() => SubmissionStatsType)
export class StatsResolver {
  @Query(() => SubmissionStatsConnection, {
    description: 'Submission aggregates computed in the database, one node per group (ordered by key).',
  })
  async submissionStats(@Args() args: SubmissionStatsArgs, @Ctx() ctx: GraphQLContext) {
    const filter = submissionStatsFilterOf(args.filter);
    return new StatsConnection(await aggregate(ctx.dataSource, submissionDataset, { ...args, filter }));
  }

  @Query(() => ActivityStatsConnection, {
    description: 'Comment counts per group (e.g. per day in a time zone, per course, per author).',
  })
  async commentStats(@Args() args: CommentStatsArgs, @Ctx() ctx: GraphQLContext) {
    const filter = commentStatsFilter(args.filter);
    return new StatsConnection(await aggregate(ctx.dataSource, commentDataset, { ...args, filter }));
  }

  @Query(() => ActivityStatsConnection, { description: 'Message counts per group.' })
  async messageStats(@Args() args: MessageStatsArgs, @Ctx() ctx: GraphQLContext) {
    const filter = messageStatsFilter(args.filter);
    return new StatsConnection(await aggregate(ctx.dataSource, messageDataset, { ...args, filter }));
  }
}
