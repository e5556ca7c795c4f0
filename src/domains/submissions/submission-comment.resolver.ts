// Fields of a submission comment that are not plain columns.
import { Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { GraphQLContext } from '../../graphql/context';
import { MAX_ATTACHMENT_IDS } from '../../graphql/list-bounds';
import { localIdOf } from '../../canvas/canvas-id';
import { SubmissionComment } from './submission-comment.entity';
import { SubmissionCommentType } from './submission-comment.type';
import { submissionLoaders } from './submission.loaders';
import { SubmissionType } from './submission.type';

@Resolver(() => SubmissionCommentType)
export class SubmissionCommentResolver {
  @FieldResolver(() => ID, { description: 'The local part of the id (without the shard).' })
  localId(@Root() comment: SubmissionComment): string {
    return localIdOf(comment.id);
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
}
