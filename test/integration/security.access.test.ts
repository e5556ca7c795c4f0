// Who may call what: every route against every kind of caller (no token, an unknown one,
// and one token per role), then the finer points — `?token=` for Canvas, tokens kept
// only as SHA-256 digests, signed payloads as proof of origin, admin-only GraphQL data,
// and open mode when no tokens are configured.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import request from 'supertest';
import { EventRecord } from '../../src/log/event.entity';
import { CanvasJwtVerifier } from '../../src/ingest/jwt';
import { RejectedEvent } from '../../src/log/rejected-event.entity';
import { ndjson, submissionEvent } from '../support/builders';
import { describeEachDatabase } from '../support/databases';
import { countRows } from '../support/ingest-app';
import { CONSUMER_KEY, freshLaunchParams, LTI_ENV, postLaunch, signed } from '../support/lti';
import { authorization, Caller, freshEventText, graphqlPost, securedApp, sha256Hex, TOKENS } from '../support/security';

const CALLERS: Caller[] = ['none', 'unknown', 'read', 'admin', 'ingest', 'metrics'];

interface RouteCase {
  route: string;
  send: (app: Express, headers: Record<string, string>) => request.Test;
  /** The status each caller gets. */
  expected: Record<Caller, number>;
}

const ROUTES: RouteCase[] = [
  {
    route: 'POST /graphql',
    send: (app, headers) => graphqlPost(app, '{ courses(first: 1) { totalCount } }', headers),
    expected: { none: 401, unknown: 401, read: 200, admin: 200, ingest: 403, metrics: 403 },
  },
  {
    route: 'GET /graphql (a query in the URL)',
    send: (app, headers) =>
      request(app)
        .get('/graphql')
        .query({ query: '{ courses(first: 1) { totalCount } }' })
        .set({ Accept: 'application/json', 'Apollo-Require-Preflight': 'true', ...headers }),
    expected: { none: 401, unknown: 401, read: 200, admin: 200, ingest: 403, metrics: 403 },
  },
  {
    route: 'POST /events',
    send: (app, headers) =>
      request(app)
        .post('/events')
        .set({ 'Content-Type': 'application/json', ...headers })
        .send(freshEventText()),
    expected: { none: 401, unknown: 401, read: 403, admin: 403, ingest: 200, metrics: 403 },
  },
  {
    route: 'GET /metrics',
    send: (app, headers) => request(app).get('/metrics').set(headers),
    expected: { none: 401, unknown: 401, read: 403, admin: 200, ingest: 403, metrics: 200 },
  },
  {
    route: 'GET /graphql from a browser (the IDE page)',
    send: (app, headers) =>
      request(app)
        .get('/graphql')
        .set({ Accept: 'text/html', ...headers }),
    expected: { none: 200, unknown: 200, read: 200, admin: 200, ingest: 200, metrics: 200 },
  },
  {
    route: 'GET /healthz',
    send: (app, headers) => request(app).get('/healthz').set(headers),
    expected: { none: 200, unknown: 200, read: 200, admin: 200, ingest: 200, metrics: 200 },
  },
  {
    route: 'GET /readyz',
    send: (app, headers) => request(app).get('/readyz').set(headers),
    expected: { none: 200, unknown: 200, read: 200, admin: 200, ingest: 200, metrics: 200 },
  },
];

const MATRIX = ROUTES.flatMap((route) =>
  CALLERS.map((caller) => ({ ...route, caller, status: route.expected[caller] })),
);

const CHALLENGE = /^Bearer realm="canvas-events"/;

describeEachDatabase('access to each route by role', (db) => {
  let app: Express;

  beforeAll(async () => {
    app = await securedApp(db());
  });

  it.each(MATRIX)('answers $route from caller "$caller" with $status', async ({ send, caller, status }) => {
    const res = await send(app, authorization(caller));
    expect(res.status).toBe(status);
    if (status === 401) {
      expect(res.headers['www-authenticate']).toMatch(CHALLENGE);
      if (caller === 'unknown') expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    }
    if (status === 403) expect(res.headers['www-authenticate']).toContain('error="insufficient_scope"');
  });

  it('says in a 401 from /graphql, as a GraphQL error, how to send a token', async () => {
    const res = await graphqlPost(app, '{ courses { totalCount } }');
    expect(res.body.errors[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(res.body.errors[0].message).toMatch(/Authorization: Bearer/);
  });

  it('refuses an Authorization header that is not a bearer token with 401', async () => {
    const res = await graphqlPost(app, '{ courses { totalCount } }', {
      Authorization: `Basic ${Buffer.from('a:b').toString('base64')}`,
    });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_request"');
  });

  it('accepts a token configured only as its sha256 digest, but not the digest itself as a token', async () => {
    expect((await graphqlPost(app, '{ courses { totalCount } }', authorization('admin'))).status).toBe(200);
    const digestAsToken = await graphqlPost(app, '{ courses { totalCount } }', {
      Authorization: `Bearer sha256:${sha256Hex(TOKENS.admin)}`,
    });
    expect(digestAsToken.status).toBe(401);
  });

  it('takes the ingest token from ?token= on POST /events, as Canvas sends it', async () => {
    const before = await countRows(db(), EventRecord);
    const res = await request(app)
      .post(`/events?token=${TOKENS.ingest}`)
      .set('Content-Type', 'application/json')
      .send(freshEventText());
    expect(res.status).toBe(200);
    expect(await countRows(db(), EventRecord)).toBe(before + 1);
    const wrong = await request(app)
      .post(`/events?token=${TOKENS.read}`)
      .set('Content-Type', 'application/json')
      .send(freshEventText());
    expect(wrong.status).toBe(403);
  });

  it('does not take a token from ?token= on /graphql, where clients can set headers', async () => {
    const res = await request(app)
      .post(`/graphql?token=${TOKENS.read}`)
      .set('Content-Type', 'application/json')
      .send({ query: '{ courses { totalCount } }' });
    expect(res.status).toBe(401);
  });

  it('stores nothing, not even a rejection, for a POST /events without a valid token', async () => {
    const events = await countRows(db(), EventRecord);
    const rejected = await countRows(db(), RejectedEvent);
    await request(app).post('/events').set('Content-Type', 'application/json').send(freshEventText());
    await request(app)
      .post('/events?token=wrong-token-000000')
      .set('Content-Type', 'application/json')
      .send('not json');
    expect(await countRows(db(), EventRecord)).toBe(events);
    expect(await countRows(db(), RejectedEvent)).toBe(rejected);
  });

  it('lets a read token query courses but answers FORBIDDEN for the event log, which needs admin', async () => {
    const read = await graphqlPost(app, '{ events(first: 1) { totalCount } }', authorization('read'));
    expect(read.status).toBe(200);
    expect(read.body.errors[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(read.body.data).toBeNull();
    const admin = await graphqlPost(app, '{ events(first: 1) { totalCount } }', authorization('admin'));
    expect(admin.body.errors).toBeUndefined();
    expect(admin.body.data.events.totalCount).toBeGreaterThan(0);
  });
});

type Key = Awaited<ReturnType<typeof generateKeyPair>>;
const ISSUER = 'https://live-events.canvas.instructure.com';

function sign(event: unknown, key: Key, kid = 'k1'): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(event as never)
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setIssuer(ISSUER)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(key.privateKey);
}

describeEachDatabase('a signed payload as proof of origin on POST /events', (db) => {
  let dir: string;
  let key: Key;
  let app: Express;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'security-jwks-'));
    key = await generateKeyPair('RS256');
    const jwksPath = join(dir, 'jwks.json');
    writeFileSync(
      jwksPath,
      JSON.stringify({ keys: [{ ...(await exportJWK(key.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] }),
    );
    const verifier = new CanvasJwtVerifier(jwksPath, ISSUER);
    await verifier.load();
    app = await securedApp(db(), { verifier });
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores a signed event sent without any token', async () => {
    const res = await request(app)
      .post('/events')
      .set('Content-Type', 'application/jwt')
      .send(await sign(submissionEvent(), key));
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('stored');
  });

  it('stores NDJSON whose every line is signed, without any token', async () => {
    const body = ndjson([await sign(submissionEvent(), key), await sign(submissionEvent(), key)]);
    const res = await request(app).post('/events').set('Content-Type', 'application/x-ndjson').send(body);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { status: string }) => i.status)).toEqual(['stored', 'stored']);
  });

  it('refuses unsigned JSON sent without a token with 401, storing nothing', async () => {
    const events = await countRows(db(), EventRecord);
    const rejected = await countRows(db(), RejectedEvent);
    const res = await request(app).post('/events').set('Content-Type', 'application/json').send(freshEventText());
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(CHALLENGE);
    expect(res.body.error.message).toMatch(/signed payload/);
    const mixed = ndjson([await sign(submissionEvent(), key), submissionEvent()]);
    expect((await request(app).post('/events').set('Content-Type', 'application/x-ndjson').send(mixed)).status).toBe(
      401,
    );
    expect(await countRows(db(), EventRecord)).toBe(events);
    expect(await countRows(db(), RejectedEvent)).toBe(rejected);
  });

  it('refuses a payload signed by another key with 401', async () => {
    const stranger = await generateKeyPair('RS256');
    const res = await request(app)
      .post('/events')
      .set('Content-Type', 'application/jwt')
      .send(await sign(submissionEvent(), stranger));
    expect(res.status).toBe(401);
  });

  it('still takes unsigned JSON with an ingest token', async () => {
    const res = await request(app)
      .post('/events')
      .set({ 'Content-Type': 'application/json', ...authorization('ingest') })
      .send(freshEventText());
    expect(res.status).toBe(200);
  });
});

describeEachDatabase('open mode, with no tokens configured', (db) => {
  let app: Express;

  beforeAll(async () => {
    app = await securedApp(db(), { tokens: false });
  });

  it('treats every caller as an admin: events, the event log and metrics answer without a token', async () => {
    expect(
      (await request(app).post('/events').set('Content-Type', 'application/json').send(freshEventText())).status,
    ).toBe(200);
    const log = await graphqlPost(app, '{ events(first: 1) { totalCount } }');
    expect(log.body.errors).toBeUndefined();
    expect(log.body.data.events.totalCount).toBeGreaterThan(0);
    expect((await request(app).get('/metrics')).status).toBe(200);
  });

  it('ignores a token that is sent anyway', async () => {
    expect((await graphqlPost(app, '{ courses { totalCount } }', { Authorization: 'Bearer anything' })).status).toBe(
      200,
    );
  });
});

describeEachDatabase('LTI launches and personal data with tokens configured', (db) => {
  let app: Express;

  beforeAll(async () => {
    app = await securedApp(db(), { env: { ...LTI_ENV, LTI_DEFAULT_SHARD: '2107' } });
  });

  it('takes a signed launch on POST /lti/launch without any bearer token', async () => {
    const res = await postLaunch(app, signed(freshLaunchParams()));
    expect(res.status).toBe(200);
  });

  it('refuses an unsigned launch by its OAuth check, not with a bearer-token challenge', async () => {
    const res = await postLaunch(app, freshLaunchParams({ oauth_consumer_key: CONSUMER_KEY }));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.headers['www-authenticate'] ?? '').not.toMatch(/Bearer/);
  });

  it('shows names and emails from launches to admin tokens and null to read tokens', async () => {
    const query = '{ users(first: 100) { nodes { ltiUserId name email } } }';
    const admin = await graphqlPost(app, query, authorization('admin'));
    const launched = admin.body.data.users.nodes.filter((u: { name: string | null }) => u.name !== null);
    expect(launched.length).toBeGreaterThan(0);
    expect(launched[0]).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.edu' });

    const read = await graphqlPost(app, query, authorization('read'));
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data.users.nodes.length).toBe(admin.body.data.users.nodes.length);
    for (const user of read.body.data.users.nodes) expect(user).toMatchObject({ name: null, email: null });
  });

  it('times launches and counts them in /metrics', async () => {
    const text = (await request(app).get('/metrics').set(authorization('admin'))).text;
    expect(text).toMatch(/^canvas_events_ingest_duration_seconds_count\{route="lti_launch",status="200"\} 1$/m);
    expect(text).toMatch(/^canvas_events_ingested_total\{event_name="lti_launch",outcome="stored"\} 1$/m);
  });
});
