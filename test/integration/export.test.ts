// GET /export/<entity>.ndjson|.csv on both databases: every entity's columns and values,
// CSV quoting and formula injection, filters, `since` after new and late-delivered events,
// resuming from the cursor, bad parameters, who may export what, a client that goes away,
// the concurrency limit, and the log position a cursor names (never ahead of a commit).
import { createServer, get, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import request from 'supertest';
import { insertRows } from '../../src/db/bulk-insert';
import { inTransaction } from '../../src/db/transaction';
import { Submission } from '../../src/domains/submissions/submission.entity';
import { SubmissionComment } from '../../src/domains/submissions/submission-comment.entity';
import { decodeExportCursor, encodeExportCursor } from '../../src/export/cursor';
import { EventRecord } from '../../src/log/event.entity';
import { committedLogPosition, enterLogWrite } from '../../src/log/write-gate';
import { exportDeclarations } from '../../src/modules';
import {
  commentEvent,
  fixture,
  FIXTURE_NAMES,
  freshLocalId,
  globalIdOf,
  submissionEvent,
  unknownEvent,
  withBody,
} from '../support/builders';
import { describeEachDatabase, TestDatabase } from '../support/databases';
import { appendEvents } from '../support/ingest-app';
import { authorization, Caller, securedApp } from '../support/security';

jest.setTimeout(120_000);

/** Small pages, so every export here runs over several keyset pages. */
const PAGE_SIZE = 3;

interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

async function exportOf(app: Express, path: string, caller: Caller = 'read'): Promise<Answer> {
  const res = await request(app)
    .get(path)
    .set(authorization(caller))
    .buffer(true)
    .parse((response, done) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => done(null, text));
    });
  return { status: res.status, headers: res.headers as Record<string, string>, text: res.body as string };
}

function ndjsonRows(answer: Answer): Record<string, unknown>[] {
  expect(answer.status).toBe(200);
  return answer.text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** RFC 4180, strictly: what a spreadsheet or csv library reads. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  expect(cell).toBe('');
  expect(row).toEqual([]);
  return rows;
}

const nextCursor = (answer: Answer) => answer.headers['x-next-cursor'];

describeEachDatabase('exports', (db) => {
  let app: Express;
  const courseId = '21070000000000565';

  beforeAll(async () => {
    app = await securedApp(db(), { pageSize: PAGE_SIZE });
    const outcomes = await appendEvents(
      db(),
      FIXTURE_NAMES.map((name) => fixture(name)),
    );
    expect(outcomes.map((o) => o.status)).not.toContain('invalid');
  });

  it('exports every declared entity: all rows in id order, id first, columns named like the GraphQL fields', async () => {
    for (const declaration of exportDeclarations) {
      const caller = declaration.adminOnly ? 'admin' : 'read';
      const rows = ndjsonRows(await exportOf(app, `/export/${declaration.name}.ndjson`, caller));
      const table = db().dataSource.getMetadata(declaration.entity).tableName;
      const [{ n }] = (await db().dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`)) as { n: unknown }[];
      expect(rows.length).toBe(Number(n));
      expect(rows.length).toBeGreaterThan(0);
      const names = declaration.columns.map((c) => c.name);
      expect(names[0]).toBe('id');
      for (const row of rows) expect(Object.keys(row)).toEqual(names);
      const ids = rows.map((row) => BigInt(row.id as string));
      expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

      const csv = parseCsv((await exportOf(app, `/export/${declaration.name}.csv`, caller)).text);
      expect(csv[0]).toEqual(names);
      expect(csv.slice(1).map((r) => r[0])).toEqual(rows.map((r) => r.id));
    }
  });

  it('writes ids with every digit, times in UTC with milliseconds, numbers, booleans, lists and nulls', async () => {
    const rows = ndjsonRows(await exportOf(app, '/export/submissions.ndjson'));
    const submission = rows.find((r) => r.id === '21070000000011176')!;
    expect(submission).toMatchObject({
      id: '21070000000011176',
      assignmentId: '21070000000000396',
      userId: '21070000000000047',
      courseId,
      groupId: '21070000000120120',
      attempt: 1,
      score: 99.5,
      late: false,
      missing: false,
      grade: 'S',
      submittedAt: '2018-10-09T21:29:57.000Z',
      url: null,
      ltiUserId: null,
    });
    const comments = ndjsonRows(await exportOf(app, '/export/comments.ndjson'));
    expect(comments.length).toBeGreaterThan(0);
    for (const comment of comments) {
      expect(Array.isArray(comment.attachmentIds)).toBe(true);
      expect(comment.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    const courses = ndjsonRows(await exportOf(app, '/export/courses.ndjson'));
    expect(courses.find((c) => c.id === courseId)).toMatchObject({ accountId: '21070000000000079' });
    const assignments = ndjsonRows(await exportOf(app, '/export/assignments.ndjson'));
    expect(assignments.every((a) => Array.isArray(a.submissionTypes))).toBe(true);
  });

  it('answers NDJSON and CSV with their content types, a file name and the cursor', async () => {
    const ndjson = await exportOf(app, '/export/submissions.ndjson');
    expect(ndjson.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(ndjson.headers['content-disposition']).toBe('attachment; filename="submissions.ndjson"');
    const csv = await exportOf(app, '/export/submissions.csv');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="submissions.csv"');
    const [{ max }] = (await db().dataSource.query('SELECT MAX(id) AS max FROM events')) as { max: unknown }[];
    expect(decodeExportCursor(nextCursor(csv))).toBe(String(max));
  });

  it('quotes CSV cells as RFC 4180 says and defuses cells a spreadsheet would run as formulas', async () => {
    const body = '=HYPERLINK("http://evil.example","a, b")\r\nsecond line';
    const submissionId = globalIdOf(freshLocalId());
    await appendEvents(db(), [
      submissionEvent({ submissionId, body: { body, grade: '@SUM(A1)', score: -1, attempt: 2 } }),
    ]);
    const csv = parseCsv((await exportOf(app, '/export/submissions.csv')).text);
    const header = csv[0];
    const row = csv.find((r) => r[0] === submissionId)!;
    const cell = (name: string) => row[header.indexOf(name)];
    expect(cell('body')).toBe(`'${body}`);
    expect(cell('grade')).toBe(`'@SUM(A1)`);
    expect(cell('score')).toBe('-1');
    expect(cell('url')).toBe('');
    expect(cell('late')).toBe('false');
    // NDJSON keeps the text as it is.
    const rows = ndjsonRows(await exportOf(app, '/export/submissions.ndjson'));
    expect(rows.find((r) => r.id === submissionId)).toMatchObject({ body, grade: '@SUM(A1)', score: -1 });
  });

  it('filters by the GraphQL filter fields given as query parameters', async () => {
    const otherCourse = '21070000000000777';
    const graded = globalIdOf(freshLocalId());
    await appendEvents(db(), [
      submissionEvent({
        submissionId: graded,
        body: { workflow_state: 'graded', late: true },
        metadata: { context_id: otherCourse },
      }),
    ]);
    const inCourse = ndjsonRows(await exportOf(app, `/export/submissions.ndjson?courseId=${otherCourse}`));
    expect(inCourse.map((r) => r.id)).toEqual([graded]);
    const states = ndjsonRows(await exportOf(app, '/export/submissions.ndjson?workflowStates=graded,pending_review'));
    expect(states.map((r) => r.id)).toContain(graded);
    expect(states.every((r) => r.workflowState === 'graded')).toBe(true);
    const repeated = ndjsonRows(
      await exportOf(app, '/export/submissions.ndjson?workflowStates=graded&workflowStates=submitted&late=true'),
    );
    expect(repeated.map((r) => r.id)).toEqual([graded]);
    const since = ndjsonRows(
      await exportOf(app, '/export/submissions.ndjson?submittedSince=2018-10-09T23:29:57%2B02:00'),
    );
    expect(since.every((r) => (r.submittedAt as string) >= '2018-10-09T21:29:57.000Z')).toBe(true);
    expect(since.length).toBeGreaterThan(0);
    const links = ndjsonRows(await exportOf(app, `/export/resource-links.ndjson?courseId=${courseId}`));
    expect(links.every((r) => r.contextId === courseId && r.contextType === 'Course')).toBe(true);
    const events = ndjsonRows(await exportOf(app, '/export/events.ndjson?names=submission_created', 'admin'));
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.name === 'submission_created')).toBe(true);
  });

  it('refuses bad parameters with a 400 that names the parameter', async () => {
    const cases: [string, string][] = [
      ['/export/submissions.ndjson?courseId=abc', 'courseId'],
      ['/export/submissions.ndjson?late=maybe', 'late'],
      ['/export/submissions.ndjson?submittedSince=yesterday', 'submittedSince'],
      ['/export/submissions.ndjson?colour=red', 'colour'],
      ['/export/submissions.ndjson?courseId=1&courseId=2', 'courseId'],
      [
        `/export/submissions.ndjson?workflowStates=${Array.from({ length: 101 }, (_, i) => `s${i}`).join(',')}`,
        'workflowStates',
      ],
      ['/export/submissions.ndjson?since=not-a-cursor', 'since'],
      [`/export/submissions.ndjson?since=${Buffer.from('{"v":2,"seq":"1"}').toString('base64url')}`, 'since'],
      [`/export/submissions.ndjson?since=${encodeExportCursor('99999999999999999999')}`, 'since'],
      ['/export/events.ndjson?status=LOST', 'status'],
      ['/export/resource-links.ndjson?toolId=-1', 'toolId'],
    ];
    for (const [path, parameter] of cases) {
      const answer = await exportOf(app, path, 'admin');
      expect({ path, status: answer.status }).toEqual({ path, status: 400 });
      const error = JSON.parse(answer.text) as { error: { message: string; parameter: string } };
      expect(error.error.parameter).toBe(parameter);
      expect(error.error.message.startsWith(`${parameter}: `)).toBe(true);
    }
    expect((await exportOf(app, '/export/users.ndjson')).status).toBe(404);
    expect((await exportOf(app, '/export/submissions.xml')).status).toBe(404);
  });

  it('lets read tokens export, but only admins the event log; strangers and other roles get 401/403', async () => {
    const expected: Record<Caller, [number, number]> = {
      none: [401, 401],
      unknown: [401, 401],
      ingest: [403, 403],
      metrics: [403, 403],
      read: [200, 403],
      admin: [200, 200],
    };
    for (const [caller, [submissions, events]] of Object.entries(expected) as [Caller, [number, number]][]) {
      expect([caller, (await exportOf(app, '/export/submissions.csv', caller)).status]).toEqual([caller, submissions]);
      expect([caller, (await exportOf(app, '/export/events.ndjson', caller)).status]).toEqual([caller, events]);
    }
  });

  it('exports the event log losslessly: payloads as JSON values, 64-bit numbers digit for digit', async () => {
    const event = withBody(unknownEvent(), { big: '@@BIG@@' });
    const text = JSON.stringify(event).replace('"@@BIG@@"', '12345678901234567890123');
    const [outcome] = await appendEvents(db(), [text]);
    const answer = await exportOf(app, '/export/events.ndjson', 'admin');
    const line = answer.text.split('\n').find((l) => l.startsWith(`{"id":"${outcome.id}",`))!;
    expect(line).toContain('"big":12345678901234567890123');
    expect(JSON.parse(line)).toMatchObject({ id: outcome.id, status: 'UNPROJECTED', payload: { metadata: {} } });
  });

  it('with since=<cursor>, exports only the rows changed after it, late-delivered events included', async () => {
    const before = await exportOf(app, '/export/submissions.ndjson');
    const cursor = nextCursor(before);
    const all = ndjsonRows(before);
    expect(ndjsonRows(await exportOf(app, `/export/submissions.ndjson?since=${cursor}`))).toEqual([]);

    // A new submission whose Canvas times are years older than every other (delivered late),
    // a newer state of an existing one, and a stale repeat that changes nothing.
    const late = globalIdOf(freshLocalId());
    const existing = all[0].id as string;
    const stale = all[1].id as string;
    await appendEvents(db(), [
      submissionEvent({
        submissionId: late,
        updatedAt: '2001-01-01T00:00:00Z',
        eventTime: '2001-01-01T00:00:00Z',
        body: { submitted_at: '2001-01-01T00:00:00Z' },
      }),
      submissionEvent({
        submissionId: existing,
        updatedAt: new Date(Date.now() - 60_000).toISOString(),
        body: { grade: 'A+' },
      }),
      submissionEvent({ submissionId: stale, updatedAt: '2000-01-01T00:00:00Z', body: { grade: 'F' } }),
    ]);
    const changed = await exportOf(app, `/export/submissions.ndjson?since=${cursor}`);
    const rows = ndjsonRows(changed);
    expect(rows.map((r) => r.id).sort()).toEqual([existing, late].sort());
    expect(rows.find((r) => r.id === existing)).toMatchObject({ grade: 'A+' });
    // Resuming from the new cursor: nothing more until something changes.
    const next = nextCursor(changed);
    expect(BigInt(decodeExportCursor(next))).toBeGreaterThan(BigInt(decodeExportCursor(cursor)));
    const after = await exportOf(app, `/export/submissions.csv?since=${next}`);
    expect(parseCsv(after.text).length).toBe(1); // the header only
    expect(nextCursor(after)).toBe(next);
    // since=0 is everything, rows written before change tracking (null) included.
    await db().dataSource.query('UPDATE submissions SET changed_seq = NULL WHERE id = ?', [BigInt(stale)]);
    const everything = ndjsonRows(await exportOf(app, '/export/submissions.ndjson?since=0'));
    expect(everything.map((r) => r.id)).toContain(stale);
    expect(everything.length).toBe(all.length + 1);
    // The event log's cursor is its own sequence.
    const events = ndjsonRows(await exportOf(app, `/export/events.ndjson?since=${cursor}`, 'admin'));
    expect(events.length).toBe(3);
  });

  it('stamps changed_seq with the sequence of the last event that wrote the row, also in a batch', async () => {
    const submissionLocal = freshLocalId();
    const submissionId = globalIdOf(submissionLocal);
    const commentLocal = freshLocalId();
    const outcomes = await appendEvents(
      db(),
      [
        submissionEvent({ submissionId, updatedAt: '2024-01-01T00:00:00Z' }),
        submissionEvent({ submissionId, updatedAt: '2024-01-02T00:00:00Z' }),
        commentEvent({ submissionId: submissionLocal, commentId: commentLocal }),
        // Older than the state it meets: changes nothing, stamps nothing.
        submissionEvent({ submissionId, updatedAt: '2023-01-01T00:00:00Z' }),
      ],
      { batch: true },
    );
    expect(outcomes.map((o) => o.status)).toEqual(['stored', 'stored', 'stored', 'stored']);
    const submission = await db().dataSource.getRepository(Submission).findOneByOrFail({ id: submissionId });
    expect(submission.changedSeq).toBe(outcomes[1].id);
    const comment = await db()
      .dataSource.getRepository(SubmissionComment)
      .findOneByOrFail({ id: globalIdOf(commentLocal) });
    expect(comment.changedSeq).toBe(outcomes[2].id);
  });

  it('names a log position only once every event up to it is committed', async () => {
    const ds = db().dataSource;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let inserted!: (id: string) => void;
    const insertedId = new Promise<string>((resolve) => (inserted = resolve));
    const writer = inTransaction(ds, async (tx) => {
      await enterLogWrite(tx);
      const event = submissionEvent();
      await insertRows(tx, EventRecord, [
        {
          contentHash: `test-${freshLocalId()}`,
          name: 'submission_updated',
          time: new Date(),
          receivedAt: new Date(),
          status: 'UNPROJECTED',
          error: null,
          payload: JSON.stringify(event),
        },
      ]);
      const [{ id }] = (await tx.query('SELECT MAX(id) AS id FROM events')) as { id: unknown }[];
      inserted(String(id));
      await released;
    });
    const id = await insertedId;
    let position: string | null = null;
    const reading = committedLogPosition(ds).then((p) => (position = p));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(position).toBeNull(); // waits for the transaction in flight
    release();
    await writer;
    await reading;
    expect(position).toBe(id);
  });
});

describeEachDatabase('exports: streaming', (db) => {
  let server: Server;
  let base: string;
  const ROWS = 3000;
  const PAGE = 50;
  const STALL_MS = 6000;

  beforeAll(async () => {
    const app = await securedApp(db(), { pageSize: PAGE, stallTimeoutMs: STALL_MS, env: { EXPORT_CONCURRENCY: '1' } });
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const body = 'x'.repeat(8 * 1024);
    for (let start = 0; start < ROWS; start += 500) {
      const rows = Array.from({ length: 500 }, (_, i) => ({
        id: String(10_000_000_000_000_000n + BigInt(start + i)),
        body,
        changedSeq: null,
      }));
      await insertRows(db().dataSource.manager, Submission, rows);
    }
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const pageStatements = (t: TestDatabase) =>
    t.statements.filter((sql) => /^SELECT/i.test(sql) && /FROM [`"]?submissions[`"]?/i.test(sql) && /LIMIT/i.test(sql))
      .length;

  function open(path: string): Promise<IncomingMessage> {
    return new Promise((resolve, reject) =>
      get(`${base}${path}`, { headers: authorization('read') }, resolve).on('error', reject),
    );
  }

  it('reads a page only when the client has taken the last one, and stops when the client goes away', async () => {
    db().statements.length = 0;
    const slow = await open('/export/submissions.ndjson');
    expect(slow.statusCode).toBe(200);
    await new Promise<void>((resolve) => slow.once('data', () => resolve()));
    slow.pause();
    // The client reads no more: the server stops at what the socket buffers hold.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const whilePaused = pageStatements(db());
    expect(whilePaused).toBeLessThan(ROWS / PAGE);
    // One export at a time here: the next caller is told to come back.
    const refused = await open('/export/submissions.ndjson');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('10');
    refused.resume();
    slow.destroy();
    // The slot comes free, and no page is read after the client left.
    let answer: IncomingMessage | null = null;
    for (let i = 0; i < 100 && answer?.statusCode !== 200; i++) {
      answer?.resume();
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await open('/export/courses.ndjson');
    }
    expect(answer!.statusCode).toBe(200);
    answer!.resume();
    expect(pageStatements(db())).toBeLessThanOrEqual(whilePaused + 1);
  });

  it('ends the export of a client that stops reading (and stays connected), so it cannot hold the slot', async () => {
    const stalled = await open('/export/submissions.ndjson');
    expect(stalled.statusCode).toBe(200);
    await new Promise<void>((resolve) => stalled.once('data', () => resolve()));
    stalled.pause();
    const refused = await open('/export/courses.ndjson');
    expect(refused.statusCode).toBe(429);
    refused.resume();
    // The client neither reads nor leaves: past the stall timeout the server ends its
    // export, and the slot is free again (polled every 500 ms, up to 40 s).
    let answer: IncomingMessage | null = null;
    for (let i = 0; i < 80 && answer?.statusCode !== 200; i++) {
      answer?.resume();
      await new Promise((resolve) => setTimeout(resolve, 500));
      answer = await open('/export/courses.ndjson');
    }
    expect(answer!.statusCode).toBe(200);
    answer!.resume();
    // What the client had buffered ends without the final chunk: incomplete, not a short file.
    stalled.resume();
    await new Promise((resolve) => stalled.once('close', resolve));
    expect(stalled.complete).toBe(false);
  }, 90_000);

  it('streams a whole large export when the client reads it', async () => {
    const answer = await open('/export/submissions.ndjson');
    let lines = 0;
    let rest = '';
    answer.setEncoding('utf8');
    for await (const chunk of answer) {
      const parts = (rest + (chunk as string)).split('\n');
      rest = parts.pop()!;
      lines += parts.length;
    }
    expect(rest).toBe('');
    expect(lines).toBe(ROWS);
  });
});
