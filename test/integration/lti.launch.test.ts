// POST /lti/launch over HTTP: a good launch is verified, stored as an lti_launch event
// and answered with a page naming what it recorded; every kind of bad launch is refused
// (401 page, or a redirect to the consumer once the signature is verified), kept in
// rejected_events, and never stored as an event.
import type { Express } from 'express';
import { EventRecord } from '../../src/log/event.entity';
import { RejectedEvent } from '../../src/log/rejected-event.entity';
import { LtiNonce } from '../../src/lti/lti-nonce.entity';
import { describeEachDatabase } from '../support/databases';
import { ingestApp } from '../support/ingest-app';
import { hmacSha1Signature, parseFormEncoded, signatureBaseString } from '../../src/lti/oauth1';
import {
  CONSUMER_KEY,
  CONSUMER_SECRET,
  freshLaunchParams,
  LAUNCH_URL,
  LTI_ENV,
  postLaunch,
  signed,
} from '../support/lti';

const RETURN_URL = 'https://oxana.instructure.com/courses/565/external_content/success/external_tool_redirect';

describeEachDatabase('LTI launches over HTTP', (db) => {
  let app: Express;
  beforeAll(async () => {
    app = await ingestApp(db(), { env: LTI_ENV });
  });

  const launchEvents = () => db().dataSource.getRepository(EventRecord).findBy({ name: 'lti_launch' });
  const launchesWithNonce = async (nonce: string) =>
    (await launchEvents()).filter(
      (e) => (JSON.parse(e.payload) as { body: { oauth_nonce: string } }).body.oauth_nonce === nonce,
    );
  const lastRejection = async () =>
    (
      await db()
        .dataSource.getRepository(RejectedEvent)
        .find({ where: { source: 'lti' }, order: { id: 'DESC' }, take: 1 })
    )[0];

  /** Refused without a trace in the event log, kept in rejected_events with the reason. */
  async function expectRefused(
    res: { status: number; text: string; headers: Record<string, string> },
    nonce: string,
    reason: RegExp,
  ) {
    expect(await launchesWithNonce(nonce)).toHaveLength(0);
    expect((await lastRejection()).reason).toMatch(reason);
    if (res.status === 303) {
      expect(new URL(res.headers.location).searchParams.get('lti_errormsg')).toMatch(reason);
    } else {
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('Launch refused');
    }
  }

  it('records a launch signed with the consumer secret as an lti_launch event and names its course and link', async () => {
    const form = signed(freshLaunchParams());
    const res = await postLaunch(app, form);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Launch recorded');
    expect(res.text).toContain('Introduction to Analytical Engines (ENG-101)');
    expect(res.text).toContain('Week 3 reading quiz');
    // Shown inside Canvas: it may be framed, and loads nothing from elsewhere.
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.text).not.toMatch(/<(script|link|img)\b/);

    const [event] = await launchesWithNonce(form.oauth_nonce);
    const payload = JSON.parse(event.payload);
    expect(event.status).toBe('PROJECTED');
    expect(payload.metadata).toEqual({ event_name: 'lti_launch', event_time: expect.any(String), producer: 'lti' });
    const { oauth_signature: _signature, ...withoutSignature } = form;
    expect(payload.body).toEqual(withoutSignature);
  });

  it('signs query-string and repeated parameters too, and keeps a repeated one as the list of its values', async () => {
    const url = `${LAUNCH_URL}?tenant=a%20b`;
    const { oauth_signature: _unused, ...form } = signed(freshLaunchParams(), { url });
    const pairs: Array<[string, string]> = [...Object.entries(form), ['custom_tags', 'a'], ['custom_tags', 'b']];
    const base = signatureBaseString('POST', url, [...parseFormEncoded('tenant=a%20b'), ...pairs]);
    const body = new URLSearchParams([
      ...pairs,
      ['oauth_signature', hmacSha1Signature(base, CONSUMER_SECRET)],
    ]).toString();
    const res = await postLaunch(app, body, { path: '/lti/launch?tenant=a%20b' });
    expect(res.status).toBe(200);
    const [event] = await launchesWithNonce(form.oauth_nonce);
    expect(JSON.parse(event.payload).body).toMatchObject({ tenant: 'a b', custom_tags: ['a', 'b'] });
  });

  it('refuses a launch with a tampered parameter with a 401 page, and does not redirect an unverified launch', async () => {
    const form: Record<string, string> = { ...signed(freshLaunchParams()), context_title: 'Something else' };
    const res = await postLaunch(app, form);
    expect(res.status).toBe(401);
    await expectRefused(res, form.oauth_nonce, /signature does not match/);
  });

  it('refuses a launch signed with the wrong secret', async () => {
    const form = signed(freshLaunchParams(), { secret: 'not the secret' });
    const res = await postLaunch(app, form);
    expect(res.status).toBe(401);
    await expectRefused(res, form.oauth_nonce, /signature does not match/);
  });

  it('refuses a launch from an unknown consumer key', async () => {
    const form = signed(freshLaunchParams(), { key: 'who-is-this' });
    const res = await postLaunch(app, form);
    expect(res.status).toBe(401);
    await expectRefused(res, form.oauth_nonce, /unknown oauth_consumer_key "who-is-this"/);
  });

  it('refuses a launch signed for another consumer with that consumer’s key but our secret', async () => {
    const form = signed(freshLaunchParams(), { key: 'other-consumer' });
    expect((await postLaunch(app, form)).status).toBe(401);
  });

  it('redirects a verified launch with a stale timestamp back to Canvas with lti_errormsg', async () => {
    const form = signed(freshLaunchParams(), { timestamp: Math.floor(Date.now() / 1000) - 301 });
    const res = await postLaunch(app, form);
    expect(res.status).toBe(303);
    const location = new URL(res.headers.location);
    expect(`${location.origin}${location.pathname}`).toBe(RETURN_URL);
    await expectRefused(res, form.oauth_nonce, /oauth_timestamp is 30\d seconds old/);
  });

  it('answers a stale launch without a return URL with a 401 page', async () => {
    const form = signed(freshLaunchParams({ launch_presentation_return_url: undefined }), {
      timestamp: Math.floor(Date.now() / 1000) + 3600,
    });
    const res = await postLaunch(app, form);
    expect(res.status).toBe(401);
    await expectRefused(res, form.oauth_nonce, /oauth_timestamp is 3\d{3} seconds in the future/);
  });

  it('never redirects to a return URL that is not http(s)', async () => {
    const form = signed(freshLaunchParams({ launch_presentation_return_url: 'javascript:alert(1)' }), { timestamp: 1 });
    const res = await postLaunch(app, form);
    expect(res.status).toBe(401);
    expect(res.headers.location).toBeUndefined();
  });

  it('refuses a replayed launch (same nonce), also when a fresh app instance receives it', async () => {
    const form = signed(freshLaunchParams());
    expect((await postLaunch(app, form)).status).toBe(200);
    const again = await postLaunch(app, form);
    expect(again.status).toBe(303);
    expect(new URL(again.headers.location).searchParams.get('lti_errormsg')).toMatch(/already received/);
    const otherInstance = await ingestApp(db(), { env: LTI_ENV });
    const elsewhere = await postLaunch(otherInstance, form);
    expect(elsewhere.status).toBe(303);
    expect(await launchesWithNonce(form.oauth_nonce)).toHaveLength(1);
  });

  it('accepts the same nonce from two different consumers', async () => {
    const nonce = `shared-${Date.now()}`;
    const first = await postLaunch(app, signed(freshLaunchParams(), { nonce }));
    const second = await postLaunch(
      app,
      signed(freshLaunchParams(), { nonce, key: 'other-consumer', secret: 'other-secret' }),
    );
    expect([first.status, second.status]).toEqual([200, 200]);
  });

  it('prunes nonces whose timestamps have left the window', async () => {
    const nonces = db().dataSource.getRepository(LtiNonce);
    await nonces.insert({ consumerKey: CONSUMER_KEY, nonce: 'long-gone', expiresAt: new Date(Date.now() - 60_000) });
    expect((await postLaunch(app, signed(freshLaunchParams()))).status).toBe(200);
    expect(await nonces.findOneBy({ consumerKey: CONSUMER_KEY, nonce: 'long-gone' })).toBeNull();
  });

  it('refuses a launch missing an OAuth parameter with a 401 page', async () => {
    const { oauth_nonce: _nonce, ...form } = signed(freshLaunchParams());
    const res = await postLaunch(app, form);
    expect(res.status).toBe(401);
    expect(res.text).toContain('oauth_nonce is missing');
  });

  it('refuses a verified launch missing resource_link_id, telling the consumer which parameter', async () => {
    const form = signed(freshLaunchParams({ resource_link_id: undefined }));
    const res = await postLaunch(app, form);
    expect(res.status).toBe(303);
    await expectRefused(res, form.oauth_nonce, /resource_link_id: is required/);
  });

  it('refuses a launch with another lti_message_type or lti_version', async () => {
    const wrongType = signed(freshLaunchParams({ lti_message_type: 'ContentItemSelectionRequest' }));
    const wrongVersion = signed(
      freshLaunchParams({ lti_version: 'LTI-2p0', launch_presentation_return_url: undefined }),
    );
    const typeRes = await postLaunch(app, wrongType);
    await expectRefused(typeRes, wrongType.oauth_nonce, /lti_message_type: must be basic-lti-launch-request/);
    const versionRes = await postLaunch(app, wrongVersion);
    expect(versionRes.status).toBe(401);
    await expectRefused(versionRes, wrongVersion.oauth_nonce, /lti_version: must be LTI-1p0/);
  });

  it('refuses a launch that is not a form post with 415', async () => {
    const res = await postLaunch(app, 'x').set('Content-Type', 'application/json');
    expect(res.status).toBe(415);
    expect(res.text).toContain('Launch refused');
  });

  it('escapes what the launch says when it shows it', async () => {
    const res = await postLaunch(app, signed(freshLaunchParams({ context_title: '<script>alert("x")</script> & Co' })));
    expect(res.status).toBe(200);
    expect(res.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(res.text).not.toContain('<script>');
  });

  it('verifies against the public URL from X-Forwarded-Proto/Host only when TRUST_PROXY is on', async () => {
    const url = 'https://public.example.edu/lti/launch';
    const headers = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'public.example.edu' };
    const untrusting = await postLaunch(app, signed(freshLaunchParams(), { url }), { headers });
    expect(untrusting.status).toBe(401);
    const behindProxy = await ingestApp(db(), { env: { ...LTI_ENV, TRUST_PROXY: 'true' } });
    const trusting = await postLaunch(behindProxy, signed(freshLaunchParams(), { url }), { headers });
    expect(trusting.status).toBe(200);
  });

  it('answers a body over the size limit with a page, not a 500', async () => {
    const res = await postLaunch(app, `x=${'a'.repeat(300 * 1024)}`);
    expect(res.status).toBe(413);
    expect(res.text).toContain('Launch refused');
  });
});
