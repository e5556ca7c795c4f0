// What strangers can make us store and spend. A caller with no valid token and no
// verified signature (a live event signed by nobody we know, a launch from an unknown
// consumer) leaves at most a bounded record — reason, address, byte and item counts, a
// 2 KB sample — and only so many a minute; the first bad signature ends an NDJSON body
// unread; refusals are rate-limited per address (429 before the body is read), never
// authenticated callers; and LTI nonces that differ only by trailing spaces are two.
import type { Express } from 'express';
import request from 'supertest';
import { EventRecord } from '../../src/log/event.entity';
import { RejectedEvent } from '../../src/log/rejected-event.entity';
import { ndjson, submissionEvent } from '../support/builders';
import { describeEachDatabase, TestDatabase } from '../support/databases';
import { countRows } from '../support/ingest-app';
import { CONSUMER_KEY, freshLaunchParams, LTI_ENV, postLaunch, signed } from '../support/lti';
import { authorization, freshEventText, securedApp } from '../support/security';
import { jwksFixture, Key, makeKey, sign } from '../support/signed-payloads';

const SAMPLE_BYTES = 2048;
const ADDRESS = /^(127\.0\.0\.1|::1)$/;

/** Rows rejected_events gained since `before` (ids are a sequence). */
async function rejectedSince(db: TestDatabase, before: string): Promise<RejectedEvent[]> {
  const rows = await db.dataSource.getRepository(RejectedEvent).find({ order: { id: 'ASC' } });
  return rows.filter((r) => BigInt(r.id) > BigInt(before));
}

async function lastRejectedId(db: TestDatabase): Promise<string> {
  const [last] = await db.dataSource.getRepository(RejectedEvent).find({ order: { id: 'DESC' }, take: 1 });
  return last?.id ?? '0';
}

function postJwt(app: Express, body: string, type = 'application/jwt', headers: Record<string, string> = {}) {
  return request(app)
    .post('/events')
    .set({ 'Content-Type': type, ...headers })
    .send(body);
}

describeEachDatabase('refusals of callers without a token (signed payloads configured)', (db) => {
  let canvasKey: Key;
  let jwks: Awaited<ReturnType<typeof jwksFixture>>;
  let app: Express;

  beforeAll(async () => {
    canvasKey = await makeKey('canvas');
    jwks = await jwksFixture([canvasKey]);
    app = await securedApp(db(), { verifier: jwks.verifier, env: { CLIENT_REFUSALS_PER_MINUTE: '1000' } });
  });
  afterAll(() => jwks.remove());

  it('keeps only a bounded record of an 8 MB body shaped like a JWS', async () => {
    const body = `a.${'b'.repeat(8_000_000)}.c`;
    const before = await lastRejectedId(db());
    const res = await postJwt(app, body);
    expect(`${res.status} ${res.text.slice(0, 300)}`).toMatch(/^401 /); // the answer, should it differ
    const [kept, ...more] = await rejectedSince(db(), before);
    expect(more).toHaveLength(0);
    expect(kept.id).toBe(res.body.error.rejectedId);
    expect(Buffer.byteLength(kept.raw)).toBeLessThanOrEqual(SAMPLE_BYTES);
    expect(body.startsWith(kept.raw)).toBe(true);
    expect(kept).toMatchObject({ receivedBytes: String(body.length), itemCount: 1, source: 'events' });
    expect(kept.clientAddress).toMatch(ADDRESS);
    expect(Number(kept.storedBytes)).toBeLessThan(4096);
  });

  it('ends an NDJSON body of 50,000 bad signatures at its first line: one record, a handful of statements', async () => {
    const body = ndjson(Array.from({ length: 50_000 }, () => 'a.b.c'));
    const before = await lastRejectedId(db());
    db().statements.length = 0;
    const started = Date.now();
    const res = await postJwt(app, body, 'application/x-ndjson');
    const elapsed = Date.now() - started;
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/^\[0\]\.jwt/);
    const kept = await rejectedSince(db(), before);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ itemCount: 50_000, receivedBytes: String(Buffer.byteLength(body)) });
    expect(Buffer.byteLength(kept[0].raw)).toBeLessThanOrEqual(SAMPLE_BYTES);
    // Each refused line used to be a row of its own: 50,000 inserts, seconds of a blocked server.
    expect(db().statements.filter((sql) => /insert/i.test(sql)).length).toBeLessThanOrEqual(1);
    expect(elapsed).toBeLessThan(3000);
  });

  it('refuses a whole NDJSON body at its first bad signature, storing none of its events', async () => {
    const stranger = await makeKey(canvasKey.kid);
    const good = await sign(submissionEvent(), canvasKey);
    const forged = await sign(submissionEvent(), stranger);
    const events = await countRows(db(), EventRecord);
    const res = await postJwt(app, ndjson([good, forged, good]), 'application/x-ndjson');
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe('[1].jwt.signature: signature verification failed');
    expect(await countRows(db(), EventRecord)).toBe(events);
    // What proves itself is still taken: good signatures without a token, and bad bodies
    // from an ingest token are kept whole.
    expect((await postJwt(app, ndjson([good, good]), 'application/x-ndjson')).status).toBe(200);
    const text = `{"metadata": ${'x'.repeat(5000)}`;
    const bad = await postJwt(app, text, 'application/json', authorization('ingest'));
    expect(bad.status).toBe(400);
    const kept = await db().dataSource.getRepository(RejectedEvent).findOneByOrFail({ id: bad.body.error.rejectedId });
    expect(kept.raw).toBe(text);
  });
});

describeEachDatabase('limits on strangers: records per minute, refusals per address', (db) => {
  let jwks: Awaited<ReturnType<typeof jwksFixture>>;
  let impostor: Key;

  beforeAll(async () => {
    const canvasKey = await makeKey('canvas');
    jwks = await jwksFixture([canvasKey]);
    impostor = await makeKey(canvasKey.kid);
  });
  afterAll(() => jwks.remove());

  /** A payload signed under Canvas's kid with another key: a failed signature. */
  const forged = () => sign(submissionEvent(), impostor);

  it('records at most REFUSAL_RECORDS_PER_MINUTE stranger refusals, counting the rest in /metrics', async () => {
    const app = await securedApp(db(), {
      verifier: jwks.verifier,
      env: { REFUSAL_RECORDS_PER_MINUTE: '3', CLIENT_REFUSALS_PER_MINUTE: '1000' },
    });
    const before = await lastRejectedId(db());
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await postJwt(app, await forged()));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    expect(answers.map((a) => typeof a.body.error.rejectedId)).toEqual([
      'string',
      'string',
      'string',
      'undefined',
      'undefined',
    ]);
    expect(await rejectedSince(db(), before)).toHaveLength(3);
    const metrics = await request(app).get('/metrics').set(authorization('metrics'));
    expect(metrics.text).toContain('canvas_events_stranger_refusals_total{route="events",outcome="recorded"} 3');
    expect(metrics.text).toContain('canvas_events_stranger_refusals_total{route="events",outcome="unrecorded"} 2');
  });

  it('answers 429 with Retry-After once an address has used up its refusals, without storing anything', async () => {
    const app = await securedApp(db(), { verifier: jwks.verifier, env: { CLIENT_REFUSALS_PER_MINUTE: '3' } });
    const before = await lastRejectedId(db());
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await postJwt(app, await forged())).status);
    // Unsigned bodies and unknown tokens are refusals too.
    const limited = await postJwt(app, await forged());
    const unsigned = await request(app).post('/events').set('Content-Type', 'application/json').send(freshEventText());
    const guessed = await postJwt(app, freshEventText(), 'application/json', authorization('unknown'));
    expect(statuses).toEqual([401, 401, 401]);
    for (const res of [limited, unsigned, guessed]) {
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(res.body.error.message).toMatch(/too many refused requests/);
    }
    expect(await rejectedSince(db(), before)).toHaveLength(3);
    // Authenticated callers are neither limited nor charged, even for refusals.
    const ingest = await postJwt(app, freshEventText(), 'application/json', authorization('ingest'));
    expect(ingest.status).toBe(200);
    const own = await securedApp(db(), { env: { CLIENT_REFUSALS_PER_MINUTE: '2' } });
    const refusedWithToken = [];
    for (let i = 0; i < 4; i++) {
      refusedWithToken.push((await postJwt(own, '{ not json', 'application/json', authorization('ingest'))).status);
    }
    refusedWithToken.push((await postJwt(own, freshEventText(), 'application/json', authorization('unknown'))).status);
    expect(refusedWithToken).toEqual([400, 400, 400, 400, 401]);
    const metrics = await request(app).get('/metrics').set(authorization('metrics'));
    expect(metrics.text).toContain('canvas_events_stranger_refusals_total{route="events",outcome="rate_limited"} 3');
  });

  it('behind TRUST_PROXY, limits the address the proxy saw (the last X-Forwarded-For entry)', async () => {
    const app = await securedApp(db(), {
      verifier: jwks.verifier,
      env: { CLIENT_REFUSALS_PER_MINUTE: '2', TRUST_PROXY: 'true' },
    });
    const from = (address: string, claimed = `10.0.0.${Math.floor(Math.random() * 250)}`) => ({
      'X-Forwarded-For': `${claimed}, ${address}`,
    });
    const before = await lastRejectedId(db());
    const one = [];
    for (let i = 0; i < 3; i++)
      one.push((await postJwt(app, await forged(), 'application/jwt', from('203.0.113.7'))).status);
    expect(one).toEqual([401, 401, 429]);
    expect((await postJwt(app, await forged(), 'application/jwt', from('203.0.113.8'))).status).toBe(401);
    const kept = await rejectedSince(db(), before);
    expect(kept.map((r) => r.clientAddress)).toEqual(['203.0.113.7', '203.0.113.7', '203.0.113.8']);
  });
});

describeEachDatabase('refused LTI launches from strangers', (db) => {
  it('keeps a bounded record of any form posted when no consumer is configured', async () => {
    const app = await securedApp(db());
    const form = `oauth_consumer_key=nobody&filler=${'x'.repeat(200_000)}`;
    const before = await lastRejectedId(db());
    const res = await postLaunch(app, form);
    expect(res.status).toBe(401);
    const [kept, ...more] = await rejectedSince(db(), before);
    expect(more).toHaveLength(0);
    expect(kept).toMatchObject({ source: 'lti', receivedBytes: String(form.length), itemCount: 1 });
    expect(kept.reason).toMatch(/^launch refused: /);
    expect(Buffer.byteLength(kept.raw)).toBeLessThanOrEqual(SAMPLE_BYTES);
    expect(form.startsWith(kept.raw)).toBe(true);
  });

  it('keeps the body of a refused launch only once its consumer key is known', async () => {
    const app = await securedApp(db(), { env: LTI_ENV });
    const before = await lastRejectedId(db());
    const unknownKey = signed(freshLaunchParams({ custom_note: 'x'.repeat(5000) }), { key: 'nobody' });
    const wrongSecret = signed(freshLaunchParams({ custom_note: 'y'.repeat(5000) }), { secret: 'not-the-secret' });
    const stale = signed(freshLaunchParams({ custom_note: 'z'.repeat(5000) }), {
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    expect((await postLaunch(app, unknownKey)).status).toBe(401);
    expect((await postLaunch(app, wrongSecret)).status).toBe(401);
    expect((await postLaunch(app, stale)).status).toBe(303); // verified: sent back to the consumer
    const kept = await rejectedSince(db(), before);
    expect(kept.map((r) => r.raw)).toEqual([
      new URLSearchParams(unknownKey).toString().slice(0, SAMPLE_BYTES),
      new URLSearchParams(wrongSecret).toString(),
      new URLSearchParams(stale).toString(),
    ]);
  });

  it('answers unverified launches with a 429 page once the address has used up its refusals', async () => {
    const app = await securedApp(db(), { env: { ...LTI_ENV, CLIENT_REFUSALS_PER_MINUTE: '2' } });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await postLaunch(app, freshLaunchParams({ oauth_consumer_key: CONSUMER_KEY }))).status);
    }
    expect(statuses).toEqual([401, 401, 429]);
    const limited = await postLaunch(app, freshLaunchParams());
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(limited.headers['content-type']).toMatch(/^text\/html/);
    expect(limited.text).toContain('too many refused launches');
  });

  it('takes nonces that differ only by trailing spaces as two nonces', async () => {
    const app = await securedApp(db(), { env: LTI_ENV });
    const nonce = `pad-${Date.now()}`;
    const first = await postLaunch(app, signed(freshLaunchParams(), { nonce }));
    const second = await postLaunch(app, signed(freshLaunchParams(), { nonce: `${nonce} ` }));
    const third = await postLaunch(app, signed(freshLaunchParams(), { nonce: `${nonce}  ` }));
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    const replay = await postLaunch(app, signed(freshLaunchParams(), { nonce: `${nonce} ` }));
    expect(replay.status).toBe(303);
    expect(new URL(replay.headers.location).searchParams.get('lti_errormsg')).toMatch(/already received/);
  });
});
