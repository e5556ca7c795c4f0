// What POST /events refuses (4xx, kept in rejected_events with raw text and reason), what
// it keeps but cannot project (INVALID / UNPROJECTED, answered 2xx), how a batch answers
// item by item, and that an answer always means everything, or nothing, was committed.
import type { Express } from 'express';
import { Submission } from '../../src/domains/submissions/submission.entity';
import { EventRecord } from '../../src/log/event.entity';
import { RejectedEvent } from '../../src/log/rejected-event.entity';
import { createTestDatabase, databaseKinds, describeEachDatabase } from '../support/databases';
import {
  fixture,
  fixtureText,
  globalIdOf,
  freshLocalId,
  ndjson,
  submissionEvent,
  unknownEvent,
  withMetadata,
} from '../support/builders';
import { countRows, ingestApp, postEvents, rejectedEvent, row, storedEvent } from '../support/ingest-app';

describeEachDatabase('refused input', (db) => {
  let app: Express;
  beforeAll(async () => {
    app = await ingestApp(db());
  });

  /** Posts `body` alone, expects a refusal, and returns what rejected_events kept for it. */
  async function refused(body: string | Buffer, contentType: string, status: number) {
    const eventsBefore = await countRows(db(), EventRecord);
    const res = await postEvents(app, body, contentType);
    expect(res.status).toBe(status);
    expect(res.body.error).toEqual({ message: expect.any(String), rejectedId: expect.any(String) });
    expect(await countRows(db(), EventRecord)).toBe(eventsBefore);
    const kept = await rejectedEvent(db(), res.body.error.rejectedId);
    expect(kept.reason).toBe(res.body.error.message);
    expect(kept.source).toBe('events');
    expect(kept.contentType).toBe(contentType);
    return kept;
  }

  it('refuses a body that is not JSON with 400, keeping its text and the parse error', async () => {
    const text = fixtureText('submission_updated').slice(0, 200);
    const kept = await refused(text, 'application/json', 400);
    expect(kept.raw).toBe(text);
    expect(kept.reason).toMatch(/^not valid JSON/);
  });

  it.each([
    ['a number', '42', 'an event must be a JSON object, got number 42'],
    ['a string', '"submission_updated"', 'an event must be a JSON object, got "submission_updated"'],
    ['null', 'null', 'an event must be a JSON object, got null'],
  ])('refuses an item that is %s, not an object', async (_what, text, reason) => {
    const kept = await refused(text, 'application/json', 400);
    expect(kept).toMatchObject({ raw: text, reason });
  });

  it('refuses an event without metadata, naming the field', async () => {
    const text = JSON.stringify({ body: fixture('submission_updated').body });
    expect(await refused(text, 'application/json', 400)).toMatchObject({ raw: text, reason: 'metadata: is missing' });
  });

  it('refuses an event without metadata.event_name', async () => {
    const text = JSON.stringify(withMetadata(fixture('submission_updated'), { event_name: undefined }));
    expect(await refused(text, 'application/json', 400)).toMatchObject({
      raw: text,
      reason: 'metadata.event_name: is missing',
    });
  });

  it('refuses an event whose metadata.event_time is not an instant, quoting it', async () => {
    const text = JSON.stringify(withMetadata(fixture('submission_updated'), { event_time: '2019-11-01 7pm' }));
    const kept = await refused(text, 'application/json', 400);
    expect(kept).toMatchObject({
      raw: text,
      reason: 'metadata.event_time: is not an ISO-8601 timestamp with a UTC offset, got "2019-11-01 7pm"',
    });
  });

  it('refuses an empty array and empty NDJSON: there is no event in them', async () => {
    expect((await refused('[]', 'application/json', 400)).reason).toMatch(/no events/);
    expect((await refused('\n\n', 'application/x-ndjson', 400)).reason).toMatch(/no events/);
  });

  it('refuses a content type it does not take with 415, keeping the body', async () => {
    const text = fixtureText('submission_updated');
    const kept = await refused(text, 'application/xml', 415);
    expect(kept.raw).toBe(text);
    expect(kept.reason).toMatch(/^content-type: unsupported content type application\/xml/);
  });

  it('refuses JSON sent as text/plain (a type for signed payloads only) with 415', async () => {
    const kept = await refused(fixtureText('submission_updated'), 'text/plain', 415);
    expect(kept.reason).toMatch(/must be a signed payload/);
  });

  it('refuses a body that is not valid UTF-8, keeping it with the bad bytes replaced', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"metadata":{"event_name":"x'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"}}'),
    ]);
    const kept = await refused(bytes, 'application/json', 400);
    expect(kept.reason).toBe('body: the body is not valid UTF-8');
    expect(kept.raw).toBe(bytes.toString('utf8'));
    expect(kept.raw).toContain('\ufffd');
  });

  it('keeps nothing partial of an NDJSON line that cannot be parsed, and stores the good lines', async () => {
    const good = submissionEvent();
    const res = await postEvents(app, ndjson([good, '{"metadata": {', 7]), 'application/x-ndjson');
    expect(res.status).toBe(200);
    expect(res.body.errors).toBe(true);
    const [first, second, third] = res.body.items;
    expect(first).toMatchObject({ index: 0, status: 'stored' });
    expect(second).toMatchObject({
      index: 1,
      status: 'rejected',
      rejectedId: expect.any(String),
      reason: expect.stringMatching(/^\[1\]: not valid JSON/),
    });
    expect(third).toMatchObject({
      index: 2,
      status: 'rejected',
      reason: '[2]: an event must be a JSON object, got number 7',
    });
    expect((await rejectedEvent(db(), second.rejectedId)).raw).toBe('{"metadata": {');
  });
});

describeEachDatabase('kept but not projected', (db) => {
  let app: Express;
  beforeAll(async () => {
    app = await ingestApp(db());
  });

  /** Posts one event, expects it kept as INVALID, and returns its reason. */
  async function invalid(event: unknown): Promise<string> {
    const text = typeof event === 'string' ? event : JSON.stringify(event);
    const res = await postEvents(app, text);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'invalid', id: expect.any(String), reason: expect.any(String) });
    const stored = await storedEvent(db(), res.body.id);
    expect(stored).toMatchObject({ status: 'INVALID', error: res.body.reason, payload: text });
    return res.body.reason;
  }

  it('keeps a submission whose submission_id is "abc" as INVALID, naming the field, and projects nothing', async () => {
    const event = submissionEvent({ submissionId: 'abc' });
    expect(await invalid(event)).toBe('body.submission_id: must be a decimal id of 1 to 20 digits, got "abc"');
    expect(await countRows(db(), Submission)).toBe(0);
  });

  it('keeps an event whose body is a string as INVALID', async () => {
    const event = { ...fixture('submission_updated'), body: 'submission 9987654 was graded' };
    expect(await invalid(event)).toMatch(/^body: .*object/i);
  });

  it('keeps a submission with a bad updated_at as INVALID, quoting the value', async () => {
    const event = submissionEvent({ updatedAt: '30/03/2020 11:18' });
    expect(await invalid(event)).toBe(
      'body.updated_at: is not an ISO-8601 timestamp with a UTC offset, got "30/03/2020 11:18"',
    );
  });

  it('keeps a submission with a 25-digit id as INVALID', async () => {
    const id = '1234567890123456789012345';
    expect(await invalid(submissionEvent({ submissionId: id }))).toBe(
      `body.submission_id: must be a decimal id of 1 to 20 digits, got "${id}"`,
    );
    const asNumber = JSON.stringify(submissionEvent({ submissionId: 'X' })).replace(
      '"submission_id":"X"',
      `"submission_id":${id}`,
    );
    expect(await invalid(asNumber)).toBe(`body.submission_id: must be a decimal id of 1 to 20 digits, got "${id}"`);
  });

  it('keeps an id sent as a JSON number above 2^53 exactly, in the log and in the projection', async () => {
    const id = globalIdOf(freshLocalId());
    expect(Number.isSafeInteger(Number(id))).toBe(false);
    const text = JSON.stringify(submissionEvent({ submissionId: 'X' })).replace(
      '"submission_id":"X"',
      `"submission_id":${id}`,
    );
    const res = await postEvents(app, text);
    expect(res.body.status).toBe('stored');
    expect((await storedEvent(db(), res.body.id)).payload).toBe(text);
    expect(await row(db(), Submission, { id })).not.toBeNull();
  });

  it('keeps an event whose metadata has a malformed id as INVALID, naming the metadata field', async () => {
    const event = withMetadata(submissionEvent(), { context_id: 'course-565' });
    expect(await invalid(event)).toBe('metadata.context_id: must be a decimal id of 1 to 20 digits, got "course-565"');
  });

  it('names every bad field of one body', async () => {
    const reason = await invalid(submissionEvent({ body: { attempt: 'twelve', late: 'no' } }));
    expect(reason).toContain('body.attempt: must be an integer');
    expect(reason).toContain('body.late:');
  });

  it('keeps an event type no projector knows as UNPROJECTED, with no reason, and projects nothing', async () => {
    const event = unknownEvent();
    const res = await postEvents(app, event);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      index: 0,
      status: 'unprojected',
      id: expect.any(String),
      name: event.metadata.event_name,
    });
    expect(await storedEvent(db(), res.body.id)).toMatchObject({
      status: 'UNPROJECTED',
      error: null,
      name: event.metadata.event_name,
    });
    expect(await row(db(), Submission, { id: String(event.body.submission_id) })).toBeNull();
  });
});

describeEachDatabase('batches', (db) => {
  let app: Express;
  beforeAll(async () => {
    app = await ingestApp(db());
  });

  it('answers a batch mixing every outcome item by item, with errors: true, and commits each item as answered', async () => {
    const stored = submissionEvent();
    const invalidOne = submissionEvent({ submissionId: 'abc' });
    const unknown = unknownEvent();
    const noName = withMetadata(fixture('submission_updated'), { event_name: undefined });
    const batch = [stored, invalidOne, unknown, stored, noName];
    const eventsBefore = await countRows(db(), EventRecord);
    const rejectedBefore = await countRows(db(), RejectedEvent);

    const res = await postEvents(app, batch);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBe(true);
    expect(res.body.items).toEqual([
      { index: 0, status: 'stored', id: expect.any(String), name: 'submission_updated' },
      {
        index: 1,
        status: 'invalid',
        id: expect.any(String),
        name: 'submission_updated',
        reason: expect.stringMatching(/^body\.submission_id: /),
      },
      { index: 2, status: 'unprojected', id: expect.any(String), name: unknown.metadata.event_name },
      { index: 3, status: 'duplicate', id: res.body.items[0].id, name: 'submission_updated' },
      { index: 4, status: 'rejected', rejectedId: expect.any(String), reason: '[4].metadata.event_name: is missing' },
    ]);
    expect(await countRows(db(), EventRecord)).toBe(eventsBefore + 3);
    expect(await countRows(db(), RejectedEvent)).toBe(rejectedBefore + 1);
    expect((await rejectedEvent(db(), res.body.items[4].rejectedId)).raw).toBe(JSON.stringify(noName));
    expect(await row(db(), Submission, { id: String(stored.body.submission_id) })).not.toBeNull();
  });

  it('answers errors: false for a batch of stored, duplicate and unprojected items', async () => {
    const event = submissionEvent();
    const res = await postEvents(app, ndjson([event, event, unknownEvent()]), 'application/x-ndjson');
    expect(res.body.errors).toBe(false);
    expect(res.body.items.map((i: { status: string }) => i.status)).toEqual(['stored', 'duplicate', 'unprojected']);
  });

  it('takes a 1,000-event NDJSON batch within the default body limit, and stores all of it', async () => {
    const events = Array.from({ length: 1000 }, (_, i) => submissionEvent({ body: { body: `answer ${i}` } }));
    const body = ndjson(events);
    expect(Buffer.byteLength(body)).toBeGreaterThan(1_000_000);
    const eventsBefore = await countRows(db(), EventRecord);
    const res = await postEvents(app, body, 'application/x-ndjson');
    expect(res.status).toBe(200);
    expect(res.body.errors).toBe(false);
    expect(res.body.items).toHaveLength(1000);
    expect(new Set(res.body.items.map((i: { status: string }) => i.status))).toEqual(new Set(['stored']));
    expect(await countRows(db(), EventRecord)).toBe(eventsBefore + 1000);
  });
});

describeEachDatabase('body limit', (db) => {
  it('refuses a body over INGEST_BODY_LIMIT with 413 and stores none of it', async () => {
    const app = await ingestApp(db(), { env: { INGEST_BODY_LIMIT: '2kb' } });
    const small = fixtureText('submission_updated');
    expect(Buffer.byteLength(small)).toBeLessThan(2048);
    expect((await postEvents(app, small)).status).toBe(200);

    const large = ndjson([submissionEvent(), submissionEvent()]);
    expect(Buffer.byteLength(large)).toBeGreaterThan(2048);
    const eventsBefore = await countRows(db(), EventRecord);
    const res = await postEvents(app, large, 'application/x-ndjson');
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/larger than the limit of 2048 bytes/);
    expect(await countRows(db(), EventRecord)).toBe(eventsBefore);
    // A body never read is not kept: storing it would defeat the limit.
    expect(await countRows(db(), RejectedEvent)).toBe(0);
  });
});

describe.each(databaseKinds)('a database failure [%s]', (kind) => {
  it('answers 503 with Retry-After and leaves nothing of the batch behind', async () => {
    const db = await createTestDatabase(kind);
    try {
      const app = await ingestApp(db);
      // A real failure inside the transaction, after the first item was written.
      await db.dataSource.query('DROP TABLE conversation_messages');
      const batch = [submissionEvent(), fixture('conversation_message_created')];
      const res = await postEvents(app, batch);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('30');
      expect(res.body.error.message).toMatch(/nothing was stored/);
      expect(await countRows(db, EventRecord)).toBe(0);
      expect(await countRows(db, Submission)).toBe(0);
      expect(await countRows(db, RejectedEvent)).toBe(0);
    } finally {
      await db.drop();
    }
  });
});
