// Read-your-writes without replicas configured: the `Consistency` header's rules hold on
// every deployment (admin and ingest tokens may ask for the primary; read tokens may not;
// an ingest token reads only that way; a value other than primary/replica is a 400), and
// the configuration refuses replicas behind SQLite. Reads served by real replicas:
// test/reliability/read-replicas.test.ts.
import type { Express } from 'express';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { describeEachDatabase } from '../support/databases';
import { authorization, Caller, freshEventText, securedApp } from '../support/security';

const QUERY = '{ submissions(first: 5) { totalCount } }';

function ask(app: Express, caller: Caller, consistency?: string) {
  const req = request(app).post('/graphql').set(authorization(caller)).set('Content-Type', 'application/json');
  if (consistency !== undefined) req.set('Consistency', consistency);
  return req.send({ query: QUERY });
}

describeEachDatabase('the Consistency header', (db) => {
  let app: Express;

  beforeAll(async () => {
    app = await securedApp(db());
    const ingested = await request(app)
      .post('/events')
      .set(authorization('ingest'))
      .set('Content-Type', 'application/json')
      .send(freshEventText());
    expect(ingested.status).toBe(200);
  });

  it.each([
    ['read', undefined, 200],
    ['read', 'replica', 200],
    ['admin', undefined, 200],
    ['admin', 'primary', 200],
    ['admin', ' Primary ', 200],
    ['ingest', 'primary', 200],
    ['ingest', 'PRIMARY', 200],
  ] as const)('answers %s with Consistency %p: %d', async (caller, consistency, status) => {
    const res = await ask(app, caller, consistency);
    expect({ status: res.status, errors: res.body.errors }).toEqual({ status, errors: undefined });
    expect(res.body.data.submissions.totalCount).toBe(1);
  });

  it('refuses primary reads to read tokens, and replica reads to ingest tokens, saying why', async () => {
    const read = await ask(app, 'read', 'primary');
    expect(read.status).toBe(403);
    expect(read.body.errors).toEqual([
      {
        message:
          'Consistency: primary (read-your-writes) is for admin and ingest tokens; read tokens read from the replicas',
        extensions: { code: 'FORBIDDEN' },
      },
    ]);
    for (const consistency of [undefined, 'replica']) {
      const ingest = await ask(app, 'ingest', consistency);
      expect(ingest.status).toBe(403);
      expect(ingest.body.errors[0].message).toMatch(/needs the read role .*only with Consistency: primary/);
    }
    const metrics = await ask(app, 'metrics', 'primary');
    expect(metrics.status).toBe(403);
  });

  it('answers 400 naming the header for a value other than primary or replica', async () => {
    const res = await ask(app, 'admin', 'eventual');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        message: 'the Consistency header must be "primary" or "replica" (got "eventual")',
        extensions: { code: 'BAD_REQUEST' },
      },
    ]);
  });

  it('lets browsers send the header (CORS preflight)', async () => {
    const cors = await securedApp(db(), { env: { CORS_ORIGINS: 'https://app.example.edu' } });
    const res = await request(cors)
      .options('/graphql')
      .set('Origin', 'https://app.example.edu')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type,consistency');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-headers']).toMatch(/(^|,)Consistency(,|$)/);
  });

  it('reports no replicas on /readyz when none are configured', async () => {
    const res = await request(app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
  });
});

describe('DATABASE_REPLICA_URLS configuration', () => {
  it('refuses replicas behind a SQLite primary, and entries that are not mysql:// URLs', () => {
    expect(() =>
      loadConfig({ DATABASE_URL: 'sqlite::memory:', DATABASE_REPLICA_URLS: 'mysql://root@127.0.0.1:3307/canvas' }),
    ).toThrow(
      'Invalid configuration: DATABASE_REPLICA_URLS: read replicas need a MySQL/MariaDB primary: DATABASE_URL is not mysql://',
    );
    expect(() =>
      loadConfig({
        DATABASE_URL: 'mysql://root@127.0.0.1:3306/canvas',
        DATABASE_REPLICA_URLS: 'mysql://root@127.0.0.1:3307/canvas, sqlite:./replica.sqlite',
      }),
    ).toThrow('DATABASE_REPLICA_URLS: entry 2 is not mysql://user:pass@host:port/database');
    const config = loadConfig({
      DATABASE_URL: 'mysql://root@127.0.0.1:3306/canvas',
      DATABASE_REPLICA_URLS: ' mysql://r@10.0.0.2/canvas , mysql://r@10.0.0.3/canvas ',
      REPLICA_MAX_LAG_SECONDS: '10',
    });
    expect(config.DATABASE_REPLICA_URLS).toEqual(['mysql://r@10.0.0.2/canvas', 'mysql://r@10.0.0.3/canvas']);
    expect(config.REPLICA_MAX_LAG_SECONDS).toBe(10);
    expect(loadConfig({}).DATABASE_REPLICA_URLS).toEqual([]);
  });
});
