// submission_comment_created → the comment. Its body ids are local (submission_id,
// user_id, attachment_ids) and are widened to global ids; a comment that arrives before
// its submission creates the submission with what is known (its id and course).
import { z } from 'zod';
import { canvasId, idList, instant, optionalNullable, text } from '../../canvas/fields';
import { globalId, isNewer, Projector, stateVersion } from '../../projection/projector';
import { Submission } from './submission.entity';
import { SubmissionComment } from './submission-comment.entity';
import { courseOf, recordSubmission } from './submission.projector';

const body = z.looseObject({
  submission_comment_id: canvasId,
  submission_id: canvasId,
  user_id: optionalNullable(canvasId),
  body: optionalNullable(text),
  created_at: optionalNullable(instant),
  attachment_ids: optionalNullable(idList),
});

export const submissionCommentProjector: Projector<z.output<typeof body>> = {
  eventNames: ['submission_comment_created'],
  body,
  rowsOf: (event) => [
    [Submission, globalId(event, event.body.submission_id)],
    [SubmissionComment, globalId(event, event.body.submission_comment_id)],
  ],
  async project(event, store) {
    const b = event.body;
    const id = globalId(event, b.submission_comment_id);
    const submissionId = globalId(event, b.submission_id);
    await recordSubmission(store, submissionId, courseOf(event));
    const current = await store.read(SubmissionComment, { id });
    const version = stateVersion(event, b.created_at ?? event.time);
    if (current && !isNewer(version, current.stateVersion)) return;
    await store.write(
      SubmissionComment,
      current,
      { id },
      {
        stateVersion: version,
        submissionId,
        authorId: globalId(event, b.user_id) ?? null,
        body: b.body ?? null,
        createdAt: b.created_at ?? null,
        attachmentIds: JSON.stringify((b.attachment_ids ?? []).map((a) => globalId(event, a))),
      },
    );
  },
};
