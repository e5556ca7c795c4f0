// How long a signed payload may be replayed: `exp` is required, and a token valid for
// longer than CANVAS_JWT_MAX_AGE_SECONDS (from now, or from its `iat`) is refused, so a
// copied token cannot be posted again for years. Checked without a token (the signature
// is the only proof) and with one.
import type { Express } from 'express';
import request from 'supertest';
import { RejectedEvent } from '../../src/log/rejected-event.entity';
import { submissionEvent } from '../support/builders';
import { describeEachDatabase } from '../support/databases';
import { authorization, securedApp } from '../support/security';
import { jwksFixture, Key, makeKey, sign, SignOptions } from '../support/signed-payloads';

const YEAR = 365 * 86_400;

describeEachDatabase('the life of a signed payload', (db) => {
  let key: Key;
  let jwks: Awaited<ReturnType<typeof jwksFixture>>;
  let app: Express;

  beforeAll(async () => {
    key = await makeKey('canvas');
    jwks = await jwksFixture([key]);
    app = await securedApp(db(), { verifier: jwks.verifier });
  });
  afterAll(() => jwks.remove());

  const post = async (options: SignOptions, headers: Record<string, string> = {}, to = app) =>
    request(to)
      .post('/events')
      .set({ 'Content-Type': 'application/jwt', ...headers })
      .send(await sign(submissionEvent(), key, options));

  async function refusedAs(options: SignOptions, reason: RegExp) {
    const res = await post(options);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(reason);
    const kept = await db().dataSource.getRepository(RejectedEvent).findOneByOrFail({ id: res.body.error.rejectedId });
    expect(kept.reason).toBe(res.body.error.message);
  }

  it('refuses a payload without exp', async () => {
    await refusedAs({ expiresIn: null }, /^jwt\.exp: the signed payload has no exp claim/);
  });

  it('refuses a payload that expires ten years from now, not one that expires within the hour', async () => {
    expect((await post({ expiresIn: 50 * 60 })).status).toBe(200);
    expect((await post({ expiresIn: 300, issuedAt: null })).status).toBe(200);
    await refusedAs(
      { expiresIn: 10 * YEAR },
      /^jwt\.exp: the signed payload is valid for \d+ seconds from now; at most 3600 are accepted \(CANVAS_JWT_MAX_AGE_SECONDS\)$/,
    );
  });

  it('refuses a payload issued long before it expires, or claiming to be issued in the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    await refusedAs({ issuedAt: now - 86_400, expiresIn: 300 }, /valid for \d+ seconds from its iat/);
    await refusedAs({ issuedAt: now + 10 * YEAR, expiresIn: 10 * YEAR + 60 }, /valid for \d+ seconds from now/);
  });

  it('refuses it from a caller with an ingest token too, and honours a shorter configured maximum', async () => {
    const withToken = await post({ expiresIn: 10 * YEAR }, authorization('ingest'));
    expect(withToken.status).toBe(401);
    expect(withToken.body.error.message).toMatch(/^jwt\.exp: .*at most 3600/);
    const strict = await jwksFixture([key], 600);
    try {
      const strictApp = await securedApp(db(), { verifier: strict.verifier });
      expect((await post({ expiresIn: 30 * 60 }, {}, strictApp)).body.error.message).toMatch(/at most 600/);
      expect((await post({ expiresIn: 5 * 60 }, {}, strictApp)).status).toBe(200);
    } finally {
      strict.remove();
    }
  });
});
