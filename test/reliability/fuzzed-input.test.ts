// Thousands of generated bad requests at /events, /lti/launch and /graphql: never a 5xx;
// 4xx for what cannot be an event, with every refusal kept in rejected_events; 2xx for
// every well-enveloped event, kept in the log (as INVALID with its reason when its body
// breaks its schema); the server alive and its heap roughly flat afterwards.
//
// CI: 1,200 /events, 300 launches and 400 GraphQL requests on SQLite, 40 % of that on
// MySQL (each refusal there is a commit). Soak: RELIABILITY_FUZZ=20 (a multiplier);
// RELIABILITY_SEED=<n> changes the inputs.
import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { EventRecord } from '../../src/log/event.entity';
import { RejectedEvent } from '../../src/log/rejected-event.entity';
import { signLaunch } from '../../src/lti/oauth1';
import { BadRequest, badEventsRequest, badGraphQLRequest, badLaunchRequest } from '../support/bad-bodies';
import { createTestDatabase, databaseKinds, TestDatabase } from '../support/databases';
import { LiveServer, send, startLiveServer } from '../support/live-server';

const SCALE = Number(process.env.RELIABILITY_FUZZ ?? 1);
const SEED = Number(process.env.RELIABILITY_SEED ?? 20251);
const CONSUMER = { key: 'fuzz-key', secret: 'fuzz-secret' };
const CONCURRENCY = 4;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapMb(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** Runs `check` over `cases` with a few concurrent clients; returns the problems found. */
async function overAll<T>(cases: T[], check: (c: T) => Promise<string | null>): Promise<string[]> {
  const problems: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < cases.length) {
        const problem = await check(cases[next++]).catch((e: Error) => `threw ${e.message}`);
        if (problem) problems.push(problem);
      }
    }),
  );
  return problems;
}

for (const kind of databaseKinds) {
  const share = kind === 'sqlite' ? 1 : 0.4;
  const count = (n: number) => Math.max(20, Math.round(n * SCALE * share));

  describe(`fuzzed input [${kind}]`, () => {
    let db: TestDatabase;
    let server: LiveServer;
    let heapAtStart: number;
    beforeAll(async () => {
      db = await createTestDatabase(kind);
      server = await startLiveServer(db.dataSource, {
        LTI_CONSUMERS: `${CONSUMER.key}:${CONSUMER.secret}`,
        // Every refusal here comes from one address and must be kept (as a bounded record
        // when unverified): the limits on strangers have their own test (security.refusals).
        CLIENT_REFUSALS_PER_MINUTE: '1000000',
        REFUSAL_RECORDS_PER_MINUTE: '1000000',
      });
    });
    afterAll(async () => {
      await server?.close();
      await db?.drop();
    });

    const rejected = (id: unknown) => db.dataSource.getRepository(RejectedEvent).findOneBy({ id: String(id) });
    const stored = (id: unknown) => db.dataSource.getRepository(EventRecord).findOneBy({ id: String(id) });

    /** What must hold for one answered item (a single event, or one item of a batch). */
    async function itemProblem(item: {
      status?: string;
      id?: string;
      rejectedId?: string;
      reason?: string;
    }): Promise<string | null> {
      if (item.status === 'rejected') {
        const row = await rejected(item.rejectedId);
        return row && row.reason === item.reason
          ? null
          : `refused item ${JSON.stringify(item)} is not in rejected_events`;
      }
      if (!['stored', 'duplicate', 'invalid', 'unprojected'].includes(String(item.status)))
        return `item status ${JSON.stringify(item)}`;
      const row = await stored(item.id);
      if (!row) return `acknowledged item ${JSON.stringify(item)} is not in the log`;
      if (item.status === 'invalid' && (row.status !== 'INVALID' || !row.error || row.error !== item.reason)) {
        return `invalid item ${JSON.stringify(item)} is logged as ${row.status} (${row.error})`;
      }
      return null;
    }

    async function eventsProblem(c: BadRequest): Promise<string | null> {
      const answer = await send(`${server.url}/events`, {
        body: c.body,
        headers: c.contentType === null ? {} : { 'content-type': c.contentType },
        timeoutMs: 30_000,
      });
      const what = `${c.kind}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`;
      const family = Math.floor(answer.status / 100);
      if (family === 5 || (c.expect === '4xx' && family !== 4) || (c.expect === '2xx' && family !== 2))
        return `unexpected ${what}`;
      if (family === 4) {
        if (answer.status === 413) return null; // never read, so nothing to keep
        const row = await rejected(answer.body?.error?.rejectedId);
        return row && row.reason === answer.body.error.message ? null : `refusal not kept: ${what}`;
      }
      const items = Array.isArray(answer.body.items) ? answer.body.items : [answer.body];
      for (const item of items) {
        const problem = await itemProblem(item);
        if (problem) return `${c.kind}: ${problem}`;
      }
      return null;
    }

    it(`answers ${count(1200)} bad /events bodies with 4xx (kept as refused) or 2xx (kept as events), never 5xx`, async () => {
      const cases = fc.sample(badEventsRequest, { numRuns: count(1200), seed: SEED });
      // A first share warms up every code path; the heap is measured after it.
      const warmUp = Math.ceil(cases.length / 4);
      expect(await overAll(cases.slice(0, warmUp), eventsProblem)).toEqual([]);
      heapAtStart = heapMb();
      expect(await overAll(cases.slice(warmUp), eventsProblem)).toEqual([]);
    }, 240_000);

    it(`answers ${count(300)} bad LTI launches with a 4xx or a redirect, keeping every refusal, never 5xx`, async () => {
      const cases = fc.sample(badLaunchRequest, { numRuns: count(300), seed: SEED });
      const launchUrl = `${server.url}/lti/launch`;
      const before = await db.dataSource.getRepository(RejectedEvent).countBy({ source: 'lti' });
      let refusedAndRead = 0;
      const problems = await overAll(cases, async (c) => {
        let body: string | Buffer;
        if (c.sign && typeof c.form === 'object' && !Buffer.isBuffer(c.form)) {
          const signed = signLaunch(launchUrl, c.form, {
            consumerKey: CONSUMER.key,
            consumerSecret: CONSUMER.secret,
            nonce: `n${Math.random()}`,
          });
          body = new URLSearchParams(signed).toString();
        } else if (typeof c.form === 'object' && !Buffer.isBuffer(c.form)) {
          body = new URLSearchParams(c.form).toString();
        } else {
          body = c.form;
        }
        const res = await fetch(launchUrl, {
          method: 'POST',
          body,
          headers: c.contentType ? { 'content-type': c.contentType } : {},
          redirect: 'manual',
          signal: AbortSignal.timeout(30_000),
        });
        await res.arrayBuffer();
        if (res.status >= 500) return `${c.kind}: ${res.status}`;
        if (res.status >= 400 && res.status !== 413) refusedAndRead++;
        if (res.status === 303) refusedAndRead++; // a verified launch refused back to the consumer
        return null;
      });
      expect(problems).toEqual([]);
      expect(await db.dataSource.getRepository(RejectedEvent).countBy({ source: 'lti' })).toBe(before + refusedAndRead);
    }, 120_000);

    it(`answers ${count(400)} malformed GraphQL requests with a 4xx or errors, never 5xx`, async () => {
      const cases = fc.sample(badGraphQLRequest, { numRuns: count(400), seed: SEED });
      const problems = await overAll(cases, async (c) => {
        const answer = await send(`${server.url}/graphql`, {
          body: c.body,
          headers: c.contentType === null ? {} : { 'content-type': c.contentType },
          timeoutMs: 30_000,
        });
        if (answer.status >= 500) return `${c.kind}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`;
        if (
          answer.status === 200 &&
          answer.body?.errors?.some(
            (e: { extensions?: { code?: string } }) => e.extensions?.code === 'INTERNAL_SERVER_ERROR',
          )
        ) {
          return `${c.kind}: an internal error ${JSON.stringify(answer.body.errors).slice(0, 200)}`;
        }
        return null;
      });
      expect(problems).toEqual([]);
    }, 120_000);

    it('is still alive and ready afterwards, with its heap roughly where it was', async () => {
      expect((await send(`${server.url}/healthz`)).status).toBe(200);
      expect((await send(`${server.url}/readyz`)).status).toBe(200);
      const good = await send(`${server.url}/graphql`, {
        body: JSON.stringify({ query: '{ courses(first: 1) { nodes { id } } }' }),
        headers: { 'content-type': 'application/json' },
      });
      expect(good.status).toBe(200);
      // Megabyte bodies went through: a leak of even a fraction of them would show.
      expect(heapMb() - heapAtStart).toBeLessThan(48);
    });
  });
}
