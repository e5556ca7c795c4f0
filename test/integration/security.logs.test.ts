// What the logs may hold: a request id on every line of a request (X-Request-Id
// honoured), method, path and status — never a token (header or ?token=), a payload
// body, or personal data from an event.
import { Writable } from 'node:stream';
import type { Express } from 'express';
import request from 'supertest';
import { createLogger } from '../../src/logger';
import { submissionEvent } from '../support/builders';
import { describeEachDatabase } from '../support/databases';
import { graphqlPost, securedApp, TOKENS } from '../support/security';

const PERSONAL = 'alice.student@example.edu';

class Capture extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) this.lines.push(JSON.parse(line));
    done();
  }
  get text(): string {
    return this.lines.map((l) => JSON.stringify(l)).join('\n');
  }
}

describeEachDatabase('request logs', (db) => {
  let capture: Capture;
  let app: Express;

  beforeAll(async () => {
    capture = new Capture();
    app = await securedApp(db(), { logger: createLogger({ LOG_LEVEL: 'trace', NODE_ENV: 'production' }, capture) });
    const event = submissionEvent({
      body: { body: `essay by ${PERSONAL}`, url: `https://example.edu/?email=${PERSONAL}` },
    });
    await request(app)
      .post(`/events?token=${TOKENS.ingest}`)
      .set({ 'Content-Type': 'application/json', 'X-Request-Id': 'canvas-delivery-42' })
      .send(JSON.stringify(event));
    await request(app)
      .post('/events')
      .set({ 'Content-Type': 'application/json', Authorization: `Bearer ${TOKENS.ingest}` })
      .send(`{"metadata": {"user_login": "${PERSONAL}"}`);
    await graphqlPost(app, '{ courses { totalCount } }', { Authorization: `Bearer ${TOKENS.admin}` });
    await graphqlPost(app, '{ courses { totalCount } }', { Authorization: `Bearer wrong-${TOKENS.read}` });
  });

  it('logs each request with its method, path, status and id', () => {
    const completed = capture.lines.filter((l) => l.msg === 'request completed');
    expect(completed).toHaveLength(4);
    expect(completed[0]).toMatchObject({
      req: { id: 'canvas-delivery-42', method: 'POST', url: '/events' },
      res: { statusCode: 200 },
    });
    for (const line of completed) expect((line.req as { id: string }).id).toBeTruthy();
  });

  it('writes no token, whether sent as a header or as ?token=', () => {
    for (const token of Object.values(TOKENS)) expect(capture.text).not.toContain(token);
    expect(capture.text).not.toMatch(/token=/);
  });

  it('writes no payload body and no personal data from events', () => {
    expect(capture.text).not.toContain(PERSONAL);
    expect(capture.text).not.toContain('essay by');
  });
});

describe('the logger', () => {
  it('redacts the statements, parameters and bodies that errors carry', () => {
    const capture = new Capture();
    const logger = createLogger({ LOG_LEVEL: 'info', NODE_ENV: 'production' }, capture);
    const err = Object.assign(new Error('insert failed'), {
      sql: `INSERT INTO events VALUES ('${PERSONAL}')`,
      parameters: [PERSONAL],
      body: `{"user": "${PERSONAL}"}`,
      driverError: { sql: `... '${PERSONAL}'`, parameters: [PERSONAL] },
    });
    logger.error({ err }, 'events could not be stored');
    expect(capture.lines).toHaveLength(1);
    expect(capture.text).toContain('insert failed');
    expect(capture.text).not.toContain(PERSONAL);
  });
});
