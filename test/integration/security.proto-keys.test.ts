// Keys are data: a "__proto__" or "constructor" key in an event or a launch parameter is
// kept like any other. On plain objects "__proto__" set the prototype instead of a key,
// so two events differing only in it hashed the same (the second was answered duplicate
// and never stored), the admin payload view dropped it, a launch parameter of that name
// vanished, and constructor=x was stored as [null,"x"] (Object's own constructor first).
import request from 'supertest';
import type { Express } from 'express';
import { canonicalJson, parseLossless } from '../../src/canvas/lossless-json';
import { freshLocalId, globalIdOf, submissionEvent } from '../support/builders';
import { describeEachDatabase } from '../support/databases';
import { ingestApp, postEvents, storedEvent } from '../support/ingest-app';
import { freshLaunchParams, LTI_ENV, postLaunch, signed } from '../support/lti';

/** The event's JSON text with a "__proto__" key added to its body (JSON.stringify cannot write one from a literal). */
function withProtoKey(eventText: string, value: unknown): string {
  return eventText.replace('"body":{', `"body":{"__proto__":${JSON.stringify(value)},`);
}

describeEachDatabase('__proto__ and constructor keys', (db) => {
  let app: Express;
  beforeAll(async () => {
    app = await ingestApp(db(), { env: LTI_ENV });
  });

  const payloadsOf = async (ids: string[]) => {
    const res = await request(app)
      .post('/graphql')
      .set('Content-Type', 'application/json')
      .send({ query: '{ events(first: 100) { nodes { id payload } } }' });
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data.events.nodes as { id: string; payload: Record<string, unknown> }[];
    return ids.map((id) => nodes.find((n) => n.id === id)!.payload);
  };

  it('events differing only in a "__proto__" key hash apart and are both stored; the payload view shows the key', async () => {
    const base = JSON.stringify(submissionEvent({ submissionId: globalIdOf(freshLocalId()) }));
    const texts = [base, withProtoKey(base, { grade: 'A' }), withProtoKey(base, { grade: 'B' })];
    const answers = [];
    for (const text of texts) answers.push((await postEvents(app, text)).body);
    expect(answers.map((a) => a.status)).toEqual(['stored', 'stored', 'stored']);
    expect(new Set(answers.map((a) => a.id)).size).toBe(3);
    const [plain, a, b] = await payloadsOf(answers.map((x) => x.id));
    expect(Object.keys(plain.body as object)).not.toContain('__proto__');
    expect(Object.getOwnPropertyDescriptor(a.body, '__proto__')?.value).toEqual({ grade: 'A' });
    expect(Object.getOwnPropertyDescriptor(b.body, '__proto__')?.value).toEqual({ grade: 'B' });
    // The stored text is what was sent, key and all.
    expect((await storedEvent(db(), answers[1].id)).payload).toContain('"__proto__":{"grade":"A"}');
  });

  it('the canonical form keeps "__proto__" as a key', () => {
    const text = canonicalJson(parseLossless('{"b":1,"__proto__":{"x":2},"a":[{"__proto__":null}]}'));
    expect(text).toBe('{"__proto__":{"x":2},"a":[{"__proto__":null}],"b":1}');
  });

  it('a signed launch parameter named __proto__ or constructor is stored as sent', async () => {
    const params = freshLaunchParams({
      __proto__: 'kept',
      constructor: 'x',
      launch_presentation_return_url: undefined,
    });
    // freshLaunchParams builds a plain object: set the two keys as own data.
    Object.defineProperty(params, '__proto__', { value: 'kept', enumerable: true, writable: true, configurable: true });
    params.constructor = 'x' as never;
    const form = new URLSearchParams(Object.entries(signed(params))).toString();
    expect(form).toContain('__proto__=kept');
    const res = await postLaunch(app, form);
    expect(res.status).toBe(200);
    const id = /stored as event (\d+)/.exec(res.text)![1];
    const body = (parseLossless((await storedEvent(db(), id)).payload) as { body: Record<string, unknown> }).body;
    expect(Object.getOwnPropertyDescriptor(body, '__proto__')?.value).toBe('kept');
    expect(Object.getOwnPropertyDescriptor(body, 'constructor')?.value).toBe('x');
  });
});
