// Read replicas on MariaDB's own replication: a real primary and a real GTID replica (two
// mariadbd processes, test/support/replication.ts) behind one app. GraphQL reads are served
// by the replica (its Com_select grows, the primary's does not); writes go to the primary
// and reach the replica by replication; a replica whose SQL thread stops leaves rotation
// (/readyz says why, still 200) and rejoins once caught up; a killed replica costs no
// answer. Runs wherever MariaDB's server binaries are installed (CI); skipped with a
// message elsewhere.
import type { DataSource } from 'typeorm';
import { connectReplica, openDataSource, replicaDataSource } from '../../src/db/data-source';
import { entities, migrations } from '../../src/modules';
import { globalIdOf, freshLocalId, submissionEvent } from '../support/builders';
import { Answer, LiveServer, postJson, send, startLiveServer } from '../support/live-server';
import { ReplicationPair, replicationUnavailable, startReplicationPair } from '../support/replication';
import { TOKEN_ENV, TOKENS } from '../support/security';

const skipReason = replicationUnavailable();
if (skipReason) console.warn(`read-replicas tests skipped: ${skipReason}`);
const describeReplication = skipReason ? describe.skip : describe;

const SUBMISSIONS = '{ submissions(first: 100) { totalCount nodes { id } } }';

describeReplication('read replicas on MariaDB GTID replication', () => {
  let pair: ReplicationPair;
  let primary: DataSource;
  let server: LiveServer;
  const ingested: string[] = [];

  const ingest = async (count: number) => {
    const ids = Array.from({ length: count }, () => globalIdOf(freshLocalId()));
    const answer = await postJson(
      `${server.url}/events`,
      ids.map((submissionId) => submissionEvent({ submissionId })),
      { Authorization: `Bearer ${TOKENS.ingest}` },
    );
    expect(answer.status).toBe(200);
    ingested.push(...ids);
    return ids;
  };
  const query = (caller: 'read' | 'admin' | 'ingest', headers: Record<string, string> = {}) =>
    postJson(
      `${server.url}/graphql`,
      { query: SUBMISSIONS },
      { Authorization: `Bearer ${TOKENS[caller]}`, ...headers },
    );
  const idsOf = (answer: Answer): string[] => {
    expect({ status: answer.status, errors: answer.body.errors }).toEqual({ status: 200, errors: undefined });
    return answer.body.data.submissions.nodes.map((n: { id: string }) => n.id).sort();
  };
  const selects = async () => ({
    primary: await pair.primary.status('Com_select'),
    replica: await pair.replica.status('Com_select'),
  });
  const readyz = () => send(`${server.url}/readyz`);
  const untilReplica = async (condition: string, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await readyz();
      if (answer.body.replicas?.[0]?.condition === condition) return answer;
      if (Date.now() > deadline) throw new Error(`replica never "${condition}": ${JSON.stringify(answer.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  beforeAll(async () => {
    pair = (await startReplicationPair())!;
    await pair.primary.query('CREATE DATABASE canvas');
    primary = await openDataSource({ url: pair.primary.url('canvas'), entities, migrations });
    await pair.caughtUp();
    server = await startLiveServer(
      primary,
      {
        ...TOKEN_ENV,
        DATABASE_URL: pair.primary.url('canvas'),
        REPLICA_MAX_LAG_SECONDS: '5',
        REPLICA_CHECK_INTERVAL_MS: '200',
      },
      undefined,
      [replicaDataSource({ url: pair.replica.url('canvas'), entities })],
    );
    await ingest(3);
    await pair.caughtUp();
    await untilReplica('in rotation');
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    await primary?.destroy();
    await pair?.stop();
  }, 60_000);

  it('serves GraphQL reads from the replica: its Com_select grows, the primary’s does not', async () => {
    const before = await selects();
    for (let i = 0; i < 10; i++) expect(idsOf(await query('read'))).toEqual([...ingested].sort());
    const after = await selects();
    expect(after.replica - before.replica).toBeGreaterThanOrEqual(10);
    expect(after.primary - before.primary).toBe(0);
  });

  it('reads from the primary for Consistency: primary (admin and ingest tokens), and refuses it to read tokens', async () => {
    const before = await selects();
    expect(idsOf(await query('admin', { Consistency: 'primary' }))).toEqual([...ingested].sort());
    expect(idsOf(await query('ingest', { Consistency: 'PRIMARY' }))).toEqual([...ingested].sort());
    const after = await selects();
    expect(after.primary - before.primary).toBeGreaterThanOrEqual(2);
    expect(after.replica - before.replica).toBe(0);

    const refused = await query('read', { Consistency: 'primary' });
    expect(refused.status).toBe(403);
    expect(refused.body.errors[0].message).toMatch(/Consistency: primary .* admin and ingest tokens/);
  });

  it('shows a write on the primary at once (read-your-writes) and on the replica after catch-up', async () => {
    const [id] = await ingest(1);
    expect(idsOf(await query('ingest', { Consistency: 'primary' }))).toContain(id);
    await pair.caughtUp();
    expect(idsOf(await query('read'))).toContain(id);
  });

  it('streams an export from the replica, once it has applied everything the export’s cursor covers', async () => {
    // Not waiting for catch-up here: the export waits for its replica (MASTER_GTID_WAIT).
    const [id] = await ingest(1);
    const before = await selects();
    const answer = await send(`${server.url}/export/submissions.ndjson`, {
      headers: { Authorization: `Bearer ${TOKENS.read}` },
    });
    const after = await selects();
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-read-source')).toBe('replica-1');
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    const rows = text
      .trim()
      .split('\n')
      .map((line: string) => JSON.parse(line) as { id: string });
    expect(rows.map((row) => row.id).sort()).toEqual([...ingested].sort());
    expect(rows.map((row) => row.id)).toContain(id);
    expect(after.replica - before.replica).toBeGreaterThanOrEqual(1);

    // Consistency: primary streams from the primary.
    const fromPrimary = await send(`${server.url}/export/submissions.ndjson`, {
      headers: { Authorization: `Bearer ${TOKENS.admin}`, Consistency: 'primary' },
    });
    expect(fromPrimary.status).toBe(200);
    expect(fromPrimary.headers.get('x-read-source')).toBe('primary');
  });

  it('never writes to the replica: its sessions are read-only even for root', async () => {
    const replica = replicaDataSource({ url: pair.replica.url('canvas'), entities });
    await connectReplica(replica);
    try {
      await expect(replica.query('DELETE FROM submissions')).rejects.toMatchObject({
        driverError: { code: 'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION' },
      });
    } finally {
      await replica.destroy();
    }
    expect((await pair.replica.query('SELECT COUNT(*) AS n FROM canvas.submissions'))[0].n).toBe(ingested.length);
    const [status] = await pair.replica.query('SHOW SLAVE STATUS');
    expect({ io: status.Slave_IO_Running, sql: status.Slave_SQL_Running }).toEqual({ io: 'Yes', sql: 'Yes' });
  });

  it('takes a replica whose SQL thread stopped out of rotation (lag unknown, /readyz still 200) and back once caught up', async () => {
    await pair.replica.query('STOP SLAVE SQL_THREAD');
    const lagging = await untilReplica('lag unknown');
    expect(lagging.status).toBe(200);
    expect(lagging.body).toMatchObject({
      status: 'ready',
      replicas: [{ name: 'replica-1', condition: 'lag unknown', inRotation: false, lagSeconds: null }],
    });

    // Meanwhile the replica misses this write; reads go to the primary and see it.
    const [id] = await ingest(1);
    const before = await selects();
    for (let i = 0; i < 5; i++) expect(idsOf(await query('read'))).toContain(id);
    const after = await selects();
    expect(after.primary - before.primary).toBeGreaterThanOrEqual(5);
    expect(after.replica - before.replica).toBe(0);
    const metrics = await send(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${TOKENS.metrics}` } });
    expect(metrics.body).toMatch(/canvas_events_read_fallbacks_total\{reason="none_in_rotation"\} [1-9]/);
    expect(metrics.body).toMatch(/canvas_events_replica_in_rotation\{replica="replica-1"\} 0/);

    await pair.replica.query('START SLAVE SQL_THREAD');
    await pair.caughtUp();
    const back = await untilReplica('in rotation');
    expect(back.body.replicas[0].lagSeconds).toBeLessThanOrEqual(5);
    const again = await selects();
    expect(idsOf(await query('read'))).toContain(id);
    expect((await selects()).replica - again.replica).toBeGreaterThanOrEqual(1);
  });

  it('takes a replica more than REPLICA_MAX_LAG_SECONDS behind out of rotation, and back once caught up', async () => {
    // Real lag: the replica applies each event 60 s after the primary wrote it.
    await pair.replica.query('STOP SLAVE');
    await pair.replica.query('CHANGE MASTER TO MASTER_DELAY=60');
    await pair.replica.query('START SLAVE');
    const [id] = await ingest(1);
    const lagging = await untilReplica('lagging', 60_000);
    expect(lagging.status).toBe(200);
    expect(lagging.body.replicas[0]).toMatchObject({ inRotation: false });
    expect(lagging.body.replicas[0].lagSeconds).toBeGreaterThan(5);
    expect(idsOf(await query('read'))).toContain(id);

    await pair.replica.query('STOP SLAVE');
    await pair.replica.query('CHANGE MASTER TO MASTER_DELAY=0');
    await pair.replica.query('START SLAVE');
    await pair.caughtUp();
    await untilReplica('in rotation');
    const before = await selects();
    expect(idsOf(await query('read'))).toContain(id);
    expect((await selects()).replica - before.replica).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('keeps GraphQL answering when the replica is killed, from the first query on', async () => {
    // A second instance that checks lag only at start: the kill is found by the answer that
    // hits it (computed again on the primary), not by a check that happens to come first.
    const unchecked = await startLiveServer(
      primary,
      { ...TOKEN_ENV, DATABASE_URL: pair.primary.url('canvas'), REPLICA_CHECK_INTERVAL_MS: '600000' },
      undefined,
      [replicaDataSource({ url: pair.replica.url('canvas'), entities })],
    );
    try {
      const ask = () =>
        postJson(`${unchecked.url}/graphql`, { query: SUBMISSIONS }, { Authorization: `Bearer ${TOKENS.read}` });
      expect(idsOf(await ask())).toEqual([...ingested].sort());
      await pair.replica.kill();
      for (let i = 0; i < 5; i++) expect(idsOf(await ask())).toEqual([...ingested].sort());
      const metrics = await send(`${unchecked.url}/metrics`, {
        headers: { Authorization: `Bearer ${TOKENS.metrics}` },
      });
      expect(metrics.body).toMatch(/canvas_events_read_fallbacks_total\{reason="replica_failed"\} 1\n/);
      expect(metrics.body).toMatch(/canvas_events_read_fallbacks_total\{reason="none_in_rotation"\} 4\n/);
    } finally {
      await unchecked.close();
    }
    for (let i = 0; i < 3; i++) expect(idsOf(await query('read'))).toEqual([...ingested].sort());
    const down = await untilReplica('unreachable');
    expect(down.status).toBe(200);
    expect(down.body).toMatchObject({ status: 'ready', replicas: [{ condition: 'unreachable', inRotation: false }] });
  });
});
