// Errors: bad arguments are named, unknown things are null, internal failures are
// masked outside development, and browsers cannot post queries cross-site.
import request from 'supertest';
import { describeEachDatabase } from '../support/databases';
import { dataOf, gid, graphqlClient, ingest, submissionEvent } from '../support/graphql-fixtures';

describeEachDatabase('GraphQL errors', (db) => {
  let client: Awaited<ReturnType<typeof graphqlClient>>;

  beforeAll(async () => {
    client = await graphqlClient(db());
    await ingest(db(), [submissionEvent({ id: gid(1), courseId: gid(2) })]);
  });

  it('refuses an id argument that is not a decimal id, naming the argument', async () => {
    const res = await client.query('{ course(id: "abc") { id } }');
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ course: null });
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: 'Invalid argument "id": must be a decimal id of 1 to 20 digits, got "abc"',
        path: ['course'],
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'id' },
      }),
    ]);
  });

  it('refuses malformed ids inside filters, naming the field of the filter', async () => {
    const single = await client.query('{ submissions(filter: { courseId: "12-3" }) { totalCount } }');
    expect(single.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'filter.courseId' });
    const listed = await client.query(`{ courses(filter: { ids: ["${gid(2)}", "x"] }) { totalCount } }`);
    expect(listed.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'filter.ids[1]' });
    const tooBig = await client.query(
      '{ conversations(filter: { participantId: "99999999999999999999" }) { totalCount } }',
    );
    expect(tooBig.errors![0].message).toMatch(/"filter\.participantId": is larger than a 64-bit signed id/);
  });

  it('answers an unknown argument or a wrongly typed one with a validation error naming it', async () => {
    const unknown = await client.query('{ courses(bogus: 1) { totalCount } }');
    expect(unknown.status).toBe(400);
    expect(unknown.errors![0]).toMatchObject({
      message: expect.stringContaining('"bogus"'),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    const typed = await client.query('{ courses(first: "ten") { totalCount } }');
    expect(typed.errors![0]).toMatchObject({
      message: expect.stringContaining('"ten"'),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    const time = await client.query(
      'query($t: DateTime) { submissions(filter: { updatedSince: $t }) { totalCount } }',
      { t: 'yesterday' },
    );
    expect(time.errors![0]).toMatchObject({
      message: expect.stringContaining('$t'),
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('accepts a submission id given with leading zeros as the same id', async () => {
    const data = await dataOf(client, `{ submission(id: "0${gid(1)}") { id } }`);
    expect(data.submission).toEqual({ id: gid(1) });
  });

  it('masks internal errors outside development, and shows them in development', async () => {
    const qr = db().dataSource;
    await qr.query('ALTER TABLE conversations RENAME TO conversations_away');
    try {
      const masked = await client.query('{ conversations { totalCount } }');
      expect(masked.errors).toEqual([
        {
          message: 'Internal server error',
          locations: expect.any(Array),
          path: ['conversations'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ]);
      const development = await graphqlClient(db(), { NODE_ENV: 'development' });
      const shown = await development.query('{ conversations { totalCount } }');
      expect(shown.errors![0].message).not.toBe('Internal server error');
      expect(shown.errors![0].extensions).toMatchObject({
        code: 'INTERNAL_SERVER_ERROR',
        stacktrace: expect.any(Array),
      });
    } finally {
      await qr.query('ALTER TABLE conversations_away RENAME TO conversations');
    }
  });

  it('refuses a query posted as a simple cross-site request (CSRF prevention)', async () => {
    const res = await request(client.app)
      .post('/graphql')
      .set('Content-Type', 'text/plain')
      .send('{"query":"{ courses { totalCount } }"}');
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/CSRF/);
  });
});
