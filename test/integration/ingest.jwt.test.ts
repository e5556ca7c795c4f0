// Signed payloads (Canvas "Sign Payload"): a compact RS256 JWT whose claims are the event,
// verified against a JWKS file picked by kid. Keys are made here; no network.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { SignJWT } from 'jose';
import { Submission } from '../../src/domains/submissions/submission.entity';
import { EventRecord } from '../../src/log/event.entity';
import { CanvasJwtVerifier } from '../../src/ingest/jwt';
import { describeEachDatabase } from '../support/databases';
import { ndjson, submissionEvent } from '../support/builders';
import { countRows, ingestApp, postEvents, rejectedEvent, row, storedEvent } from '../support/ingest-app';
import { ISSUER, Key, makeKey, sign, writeJwks } from '../support/signed-payloads';

describeEachDatabase('signed payloads', (db) => {
  let dir: string;
  let jwksPath: string;
  let canvasKey: Key;
  let app: Express;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'canvas-jwks-'));
    jwksPath = join(dir, 'jwks.json');
    canvasKey = await makeKey('canvas-2026-11');
    await writeJwks(jwksPath, [canvasKey]);
    const verifier = new CanvasJwtVerifier(jwksPath, ISSUER);
    await verifier.load();
    app = await ingestApp(db(), { verifier });
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Posts a token alone, expects 401, and returns the rejected row. */
  async function unauthorized(token: string) {
    const before = await countRows(db(), EventRecord);
    const res = await postEvents(app, token, 'application/jwt');
    expect(res.status).toBe(401);
    expect(await countRows(db(), EventRecord)).toBe(before);
    const kept = await rejectedEvent(db(), res.body.error.rejectedId);
    expect(kept).toMatchObject({ raw: token, reason: res.body.error.message, contentType: 'application/jwt' });
    return kept;
  }

  it('accepts a good token sent as application/jwt, storing and projecting its claims', async () => {
    const event = submissionEvent();
    const token = await sign(event, canvasKey);
    const res = await postEvents(app, token, 'application/jwt');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'stored', name: 'submission_updated' });
    const stored = await storedEvent(db(), res.body.id);
    expect(JSON.parse(stored.payload)).toMatchObject({ ...event, iss: ISSUER });
    expect(await row(db(), Submission, { id: String(event.body.submission_id) })).toMatchObject({
      grade: event.body.grade,
    });
  });

  it('accepts a good token sent raw with Content-Type application/json', async () => {
    const event = submissionEvent();
    const res = await postEvents(app, await sign(event, canvasKey), 'application/json');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('stored');
    expect(await row(db(), Submission, { id: String(event.body.submission_id) })).not.toBeNull();
  });

  it('accepts tokens one a line in NDJSON, judging each on its own', async () => {
    const good = await sign(submissionEvent(), canvasKey);
    const expired = await sign(submissionEvent(), canvasKey, { expiresIn: -60 });
    const res = await postEvents(app, ndjson([good, expired]), 'application/x-ndjson');
    expect(res.status).toBe(200);
    expect(res.body.errors).toBe(true);
    expect(res.body.items[0]).toMatchObject({ status: 'stored' });
    expect(res.body.items[1]).toMatchObject({
      status: 'rejected',
      reason: '[1].jwt.exp: the signed payload has expired',
    });
  });

  it('takes the same event signed twice (another iat) as a duplicate', async () => {
    const event = submissionEvent();
    const now = Math.floor(Date.now() / 1000);
    const first = await postEvents(app, await sign(event, canvasKey, { issuedAt: now - 100 }), 'application/jwt');
    const second = await postEvents(app, await sign(event, canvasKey, { issuedAt: now }), 'application/jwt');
    expect(second.body).toMatchObject({ status: 'duplicate', id: first.body.id });
  });

  it('refuses a token signed with another key under a known kid with 401, keeping it with the reason', async () => {
    const impostor = await makeKey(canvasKey.kid);
    const kept = await unauthorized(await sign(submissionEvent(), impostor));
    expect(kept.reason).toBe('jwt.signature: signature verification failed');
  });

  it('refuses a token whose kid is in no key set, even after reloading it', async () => {
    const stranger = await makeKey('someone-else');
    const kept = await unauthorized(await sign(submissionEvent(), stranger));
    expect(kept.reason).toBe('jwt.header.kid: no key in CANVAS_JWKS matches the token (unknown kid)');
  });

  it('refuses an expired token', async () => {
    const kept = await unauthorized(await sign(submissionEvent(), canvasKey, { expiresIn: -60 }));
    expect(kept.reason).toBe('jwt.exp: the signed payload has expired');
  });

  it('refuses a token from another issuer', async () => {
    const kept = await unauthorized(await sign(submissionEvent(), canvasKey, { issuer: 'https://evil.example' }));
    expect(kept.reason).toMatch(/^jwt\.iss: claim check failed/);
  });

  it('refuses a token with another algorithm than RS256', async () => {
    const token = await new SignJWT(submissionEvent() as never)
      .setProtectedHeader({ alg: 'HS256', kid: canvasKey.kid })
      .setIssuer(ISSUER)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a shared secret of thirty-two bytes!'));
    const kept = await unauthorized(token);
    expect(kept.reason).toBe('jwt.header.alg: only RS256 is accepted');
  });

  it('picks up a key appended to the JWKS file after the verifier loaded it', async () => {
    const verifier = new CanvasJwtVerifier(jwksPath, ISSUER);
    await verifier.load();
    const rotatedApp = await ingestApp(db(), { verifier });
    const nextKey = await makeKey('canvas-2026-12');
    await writeJwks(jwksPath, [canvasKey, nextKey]);
    try {
      const withNew = await postEvents(rotatedApp, await sign(submissionEvent(), nextKey), 'application/jwt');
      expect(withNew.status).toBe(200);
      expect(withNew.body.status).toBe('stored');
      const withOld = await postEvents(rotatedApp, await sign(submissionEvent(), canvasKey), 'application/jwt');
      expect(withOld.body.status).toBe('stored');
    } finally {
      await writeJwks(jwksPath, [canvasKey]);
    }
  });

  it('refuses a signed payload with 401 when no JWKS is configured', async () => {
    const unsigned = await ingestApp(db());
    const token = await sign(submissionEvent(), canvasKey);
    const res = await postEvents(unsigned, token, 'application/jwt');
    expect(res.status).toBe(401);
    expect((await rejectedEvent(db(), res.body.error.rejectedId)).reason).toBe(
      'jwt: a signed payload was sent but CANVAS_JWKS is not configured',
    );
  });
});
