// HTTP hardening: helmet's headers (and the IDE's own policy on its page), CORS only for
// configured origins, body limits (413) and content types (415) per route.
import type { Express } from 'express';
import request from 'supertest';
import { IDE_ASSET_PREFIX } from '../../src/graphql/ide';
import { createTestDatabase, TestDatabase } from '../support/databases';
import { authorization, freshEventText, graphqlPost, securedApp } from '../support/security';

describe('HTTP hardening', () => {
  let db: TestDatabase;
  let app: Express;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    app = await securedApp(db, { env: { INGEST_BODY_LIMIT: '2kb' } });
  });
  afterAll(() => db.drop());

  it('sends helmet’s headers and a deny-all Content-Security-Policy with API answers', async () => {
    const res = await request(app).get('/healthz');
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
    });
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('serves the IDE page without a token, with its own nonce-based policy that lets it run', async () => {
    const res = await request(app).get('/graphql').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const csp = res.headers['content-security-policy'];
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(csp).toMatch(/connect-src 'self'/);
    expect(csp).not.toMatch(/default-src 'none'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('keeps a linked ?query= inside the IDE’s config script, whatever the case of its tags (no script of its own, no nonce)', async () => {
    // ruru escapes "</script" but not "</SCRIPT"; and the page's nonce placeholder, if
    // the link spells it (unquoted: JSON would escape quotes), is given the real nonce.
    const hostile = '</SCRIPT><SCRIPT nonce=__IDE_CSP_NONCE__>window.stolen=1</SCRIPT><!--';
    const plain = await request(app).get('/graphql').set('Accept', 'text/html');
    const linked = await request(app)
      .get(`/graphql?query=${encodeURIComponent(hostile)}&variables=${encodeURIComponent(hostile)}`)
      .set('Accept', 'text/html');
    expect(linked.status).toBe(200);
    const tags = (page: string) => page.match(/<\/?script|<!--/gi)?.length ?? 0;
    expect(tags(linked.text)).toBe(tags(plain.text));
    // Still the query the link asked for, as the IDE's first tab.
    expect(linked.text).toContain('"initialQuery":"\\u003c/SCRIPT>\\u003cSCRIPT nonce=');
  });

  it('serves the IDE’s scripts without a token and without a policy of their own (a worker runs under its script’s policy)', async () => {
    const res = await request(app).get(`/graphql${IDE_ASSET_PREFIX}ruru.js`);
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('sends no CORS headers when CORS_ORIGINS is not set', async () => {
    const res = await graphqlPost(app, '{ courses { totalCount } }', {
      Origin: 'https://elsewhere.example',
      ...authorization('read'),
    });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a POST /events body over INGEST_BODY_LIMIT with 413 naming the limit', async () => {
    const big = JSON.stringify({
      metadata: { event_name: 'x', event_time: '2024-01-01T00:00:00Z' },
      body: { text: 'a'.repeat(4096) },
    });
    const res = await request(app)
      .post('/events')
      .set({ 'Content-Type': 'application/json', ...authorization('ingest') })
      .send(big);
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/2048 bytes/);
  });

  it('refuses a POST /graphql body over 1 MB with 413', async () => {
    const query = `{ courses { totalCount } } # ${'x'.repeat(1024 * 1024)}`;
    const res = await graphqlPost(app, query, authorization('read'));
    expect(res.status).toBe(413);
  });

  it('refuses POST /events with an HTML body with 415', async () => {
    const res = await request(app)
      .post('/events')
      .set({ 'Content-Type': 'text/html', ...authorization('ingest') })
      .send(freshEventText());
    expect(res.status).toBe(415);
  });
});

describe('CORS with CORS_ORIGINS set', () => {
  let db: TestDatabase;
  let app: Express;
  let anyOrigin: Express;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    app = await securedApp(db, { env: { CORS_ORIGINS: 'https://dashboard.example.edu, http://localhost:5173' } });
    anyOrigin = await securedApp(db, { env: { CORS_ORIGINS: '*' } });
  });
  afterAll(() => db.drop());

  it('answers a preflight from a listed origin, allowing the Authorization header, without a token', async () => {
    const res = await request(app).options('/graphql').set({
      Origin: 'https://dashboard.example.edu',
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'authorization, content-type',
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://dashboard.example.edu');
    expect(res.headers['access-control-allow-headers']).toMatch(/Authorization/);
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('allows a listed origin to read the answer, and says nothing to another origin', async () => {
    const listed = await graphqlPost(app, '{ courses { totalCount } }', {
      Origin: 'http://localhost:5173',
      ...authorization('read'),
    });
    expect(listed.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(listed.headers['vary']).toMatch(/Origin/);
    const other = await graphqlPost(app, '{ courses { totalCount } }', {
      Origin: 'https://evil.example',
      ...authorization('read'),
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets the 401 of a cross-origin request without a token be read, so the page can ask for one', async () => {
    const res = await graphqlPost(app, '{ courses { totalCount } }', { Origin: 'http://localhost:5173' });
    expect(res.status).toBe(401);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(res.headers['access-control-expose-headers']).toMatch(/WWW-Authenticate/);
  });

  it('allows every origin with CORS_ORIGINS=*', async () => {
    const res = await graphqlPost(anyOrigin, '{ courses { totalCount } }', {
      Origin: 'https://any.example',
      ...authorization('read'),
    });
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });
});
