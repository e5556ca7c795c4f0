// Text is long and in any script: bodies up to Canvas's 8192-character cut, emoji
// (4-byte UTF-8, utf8mb4 on MySQL), CJK and combining marks survive exactly, in the
// event log and in the projections.
import type { Express } from 'express';
import { Submission } from '../../src/domains/submissions/submission.entity';
import { SubmissionComment } from '../../src/domains/submissions/submission-comment.entity';
import { describeEachDatabase } from '../support/databases';
import { commentEvent, globalIdOf, freshLocalId, submissionEvent, withMetadata } from '../support/builders';
import { ingestApp, postEvents, rowOrFail, storedEvent } from '../support/ingest-app';

const SAMPLES = {
  emoji: 'Great work 🎉👍🏽 — 👨‍👩‍👧‍👦 family emoji, 𝒳 math, 🇳🇱 flag',
  cjk: '提出物を確認しました。수고하셨습니다。很好的作业！',
  mixed: 'Ünïcödé e\u0301 (combining) «quotes» עברית العربية ℃ \u2028 line separator',
};

/** Exactly `count` code points, cycling through emoji, CJK and accented letters. */
function longText(count: number): string {
  const pieces = [...'😀中文é🎓한글ß𝄞'];
  return Array.from({ length: count }, (_, i) => pieces[i % pieces.length]).join('');
}

describeEachDatabase('text in any script', (db) => {
  let app: Express;
  beforeAll(async () => {
    app = await ingestApp(db());
  });

  it.each(Object.entries(SAMPLES))(
    'keeps a %s submission body exactly, in the log and the projection',
    async (_kind, text) => {
      const id = globalIdOf(freshLocalId());
      const payload = JSON.stringify(
        submissionEvent({ submissionId: id, body: { body: text, grade: text.slice(0, 20) } }),
      );
      const res = await postEvents(app, payload);
      expect(res.body.status).toBe('stored');
      expect((await storedEvent(db(), res.body.id)).payload).toBe(payload);
      const submission = await rowOrFail(db(), Submission, { id });
      expect(submission.body).toBe(text);
      expect(submission.grade).toBe(text.slice(0, 20));
    },
  );

  it('keeps an 8192-character comment of 4-byte characters exactly', async () => {
    const text = longText(8192);
    expect([...text]).toHaveLength(8192);
    expect(Buffer.byteLength(text)).toBeGreaterThan(8192 * 3);
    const commentLocal = freshLocalId();
    const res = await postEvents(app, commentEvent({ commentId: commentLocal, body: { body: text } }));
    expect(res.body.status).toBe('stored');
    expect((await rowOrFail(db(), SubmissionComment, { id: globalIdOf(commentLocal) })).body).toBe(text);
  });

  it('keeps an 8192-character submission body exactly', async () => {
    const id = globalIdOf(freshLocalId());
    const text = longText(8192);
    await postEvents(app, submissionEvent({ submissionId: id, body: { body: text } })).expect(200);
    expect((await rowOrFail(db(), Submission, { id })).body).toBe(text);
  });

  it('keeps JSON escapes (\\u sequences, surrogate pairs) as the text they stand for', async () => {
    const id = globalIdOf(freshLocalId());
    const payload = JSON.stringify(submissionEvent({ submissionId: id, body: { body: 'PLACEHOLDER' } })).replace(
      'PLACEHOLDER',
      '\\ud83c\\udf89 \\u63d0\\u51fa \\"quoted\\" \\\\ back',
    );
    await postEvents(app, payload).expect(200);
    expect((await rowOrFail(db(), Submission, { id })).body).toBe('🎉 提出 "quoted" \\ back');
  });

  it('keeps a body longer than a TEXT column holds as INVALID, answered 2xx, without failing its batch', async () => {
    const id = globalIdOf(freshLocalId());
    const text = longText(40_000); // ~130 KB of UTF-8, far over Canvas's 8192-character cut
    const neighbour = submissionEvent();
    const res = await postEvents(app, [submissionEvent({ submissionId: id, body: { body: text } }), neighbour]);
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({
      status: 'invalid',
      reason: 'body.body: is longer than 65535 bytes of UTF-8',
    });
    expect(res.body.items[1]).toMatchObject({ status: 'stored' });
    expect((await storedEvent(db(), res.body.items[0].id)).payload).toContain(text);
    expect(await rowOrFail(db(), Submission, { id: String(neighbour.body.submission_id) })).toBeTruthy();
  });

  it('keeps an event whose SIS id is longer than its column as INVALID, naming the metadata field', async () => {
    const event = withMetadata(submissionEvent(), { context_sis_source_id: 'S'.repeat(256) });
    const res = await postEvents(app, event);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'invalid',
      reason: expect.stringMatching(/^metadata\.context_sis_source_id: /),
    });
  });
});
