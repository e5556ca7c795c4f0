// Canvas events delivered through SQS, against a real SQS-compatible server (fauxqs on
// 127.0.0.1, test/support/sqs.ts): each message goes through the POST /events ingest path
// and is deleted only once committed; a body that is no event is kept as refused and
// deleted; a database outage deletes nothing (the messages come back); a consumer killed
// between commit and delete leaves a message whose redelivery is a duplicate, not a second
// event; two consumers share a queue; a queue endpoint that is down is retried with backoff.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, IncomingMessage, request, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import supertest from 'supertest';
import { DataSource, In } from 'typeorm';
import { loadConfig } from '../../src/config';
import { openDataSource } from '../../src/db/data-source';
import { SqsConsumer, SqsConsumerMetrics, SqsConsumerOptions, SqsConsumerState } from '../../src/delivery/sqs-consumer';
import { EventLog } from '../../src/ingest/event-log';
import { EventRecord } from '../../src/log/event.entity';
import { RejectedEvent } from '../../src/log/rejected-event.entity';
import { buildProjectorRegistry, entities, migrations } from '../../src/modules';
import { createApp, stopDelivery } from '../../src/server';
import { CanvasEvent, submissionEvent } from '../support/builders';
import { sleep, until } from '../support/canvas-sender';
import { describeEachDatabase, TestDatabase } from '../support/databases';
import { postEvents } from '../support/ingest-app';
import { contentHashOf } from '../support/log-audit';
import { startService } from '../support/service-process';
import { jwksFixture, makeKey, sign } from '../support/signed-payloads';
import { AWS_TEST_ENV, SqsServer, startSqsServer } from '../support/sqs';
import { TcpProxy } from '../support/tcp-proxy';

jest.setTimeout(120_000);

const silent = pino({ level: 'silent' });

/** The consumer's reports, kept: what the tests assert on. */
class Recorded implements SqsConsumerMetrics {
  counts = { received: 0, committed: 0, deleted: 0, failedCommit: 0, failedDelete: 0, receiveErrors: 0, inFlight: 0 };
  states: SqsConsumerState[] = [];
  lags: number[] = [];
  received(count: number, lagSeconds: readonly number[]) {
    this.counts.received += count;
    this.lags.push(...lagSeconds);
  }
  committed(count: number) {
    this.counts.committed += count;
  }
  deleted(count: number) {
    this.counts.deleted += count;
  }
  failed(stage: 'commit' | 'delete' | 'extend', count: number) {
    if (stage === 'commit') this.counts.failedCommit += count;
    if (stage === 'delete') this.counts.failedDelete += count;
  }
  receiveFailed() {
    this.counts.receiveErrors++;
  }
  state(state: SqsConsumerState) {
    this.states.push(state);
  }
  inFlight(delta: number) {
    this.counts.inFlight += delta;
  }
}

async function logCount(dataSource: DataSource, events: CanvasEvent[]): Promise<number> {
  return dataSource.getRepository(EventRecord).countBy({ contentHash: In(events.map(contentHashOf)) });
}

async function queueEmpty(sqs: SqsServer, queueUrl: string): Promise<boolean> {
  const { visible, inFlight } = await sqs.counts(queueUrl);
  return visible + inFlight === 0;
}

describeEachDatabase('SQS delivery', (db) => {
  let sqs: SqsServer;
  const running: SqsConsumer[] = [];
  let queues = 0;

  beforeAll(async () => {
    // The service's SDK client reads region and credentials from the standard chain.
    Object.assign(process.env, AWS_TEST_ENV);
    sqs = await startSqsServer();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
  });
  afterAll(async () => {
    await sqs?.stop();
  });

  const newQueue = (visibilityTimeoutSeconds = 30) =>
    sqs.createQueue(`${db().kind}-q${++queues}-${process.pid}`, visibilityTimeoutSeconds);

  function startConsumer(queueUrl: string, options: Partial<SqsConsumerOptions> = {}) {
    const metrics = new Recorded();
    const consumer = new SqsConsumer({
      client: sqs.client,
      queueUrl,
      eventLog: new EventLog(db().dataSource, buildProjectorRegistry()),
      verifier: null,
      logger: silent,
      visibilityTimeoutSeconds: 2,
      waitTimeSeconds: 1,
      receivers: 2,
      backoff: { initialMs: 200, maxMs: 1_000 },
      metrics,
      ...options,
    });
    running.push(consumer);
    consumer.start();
    return { consumer, metrics };
  }

  it('stores each message through the ingest path (JSON and signed), deletes it after commit, and reports it on /metrics', async () => {
    const queueUrl = await newQueue();
    const key = await makeKey('k1');
    const jwks = await jwksFixture([key]);
    const events = [submissionEvent(), submissionEvent(), submissionEvent()];
    const signedEvent = submissionEvent();
    await sqs.send(queueUrl, [...events.map((e) => JSON.stringify(e)), await sign(signedEvent, key)]);
    const app = await createApp({
      config: loadConfig({
        NODE_ENV: 'test',
        DATABASE_URL: 'sqlite::memory:',
        SQS_QUEUE_URLS: queueUrl,
        SQS_ENDPOINT: sqs.endpoint,
        SQS_WAIT_TIME_SECONDS: '1',
      }),
      dataSource: db().dataSource,
      logger: silent,
      verifier: jwks.verifier,
    });
    try {
      await until(async () => (await logCount(db().dataSource, [...events, signedEvent])) === 4, 60_000, 'four events');
      await until(() => queueEmpty(sqs, queueUrl), 30_000, 'the queue emptied');
      const stored = await db()
        .dataSource.getRepository(EventRecord)
        .findOneByOrFail({ contentHash: contentHashOf(events[0]) });
      expect(stored.status).toBe('PROJECTED');
      // Every digit of the 64-bit id kept.
      expect(stored.payload).toContain(String(events[0].body.submission_id));

      const metrics = await supertest(app).get('/metrics');
      expect(metrics.status).toBe(200);
      const queue = queueUrl.split('/').pop();
      expect(metrics.text).toContain(`canvas_events_sqs_messages_total{queue="${queue}",stage="received"} 4`);
      expect(metrics.text).toContain(`canvas_events_sqs_messages_total{queue="${queue}",stage="committed"} 4`);
      await until(
        async () =>
          (await supertest(app).get('/metrics')).text.includes(
            `canvas_events_sqs_messages_total{queue="${queue}",stage="deleted"} 4`,
          ),
        10_000,
        'deletions counted',
      );
      expect(metrics.text).toMatch(new RegExp(`canvas_events_sqs_receive_lag_seconds_count\\{queue="${queue}"\\} 4`));
      expect(metrics.text).toMatch(/canvas_events_newest_event_age_seconds\{delivery="sqs"\} \d/);
      expect(metrics.text).not.toContain('delivery="https"');
      // An event over HTTPS is the other delivery's newest.
      expect((await postEvents(app, submissionEvent())).status).toBe(200);
      expect((await supertest(app).get('/metrics')).text).toMatch(
        /canvas_events_newest_event_age_seconds\{delivery="https"\} \d/,
      );
      expect(metrics.text).toContain(`canvas_events_sqs_consumer_state{queue="${queue}",state="receiving"} 1`);
      expect(metrics.text).toContain(
        `canvas_events_ingested_total{event_name="submission_updated",outcome="stored"} 4`,
      );
    } finally {
      await stopDelivery(app);
      jwks.remove();
    }
    expect((await supertest(app).get('/metrics')).text).toContain(
      `canvas_events_sqs_consumer_state{queue="${queueUrl.split('/').pop()}",state="stopped"} 1`,
    );
  });

  it('keeps a message that is no event as refused (source sqs) and deletes it: it never comes back', async () => {
    const queueUrl = await newQueue();
    const marker = `not an event ${Date.now()}`;
    await sqs.send(queueUrl, [marker, JSON.stringify({ hello: marker })]);
    const { metrics } = startConsumer(queueUrl);
    await until(() => metrics.counts.deleted === 2, 30_000, 'both deleted');
    const refused = await db()
      .dataSource.getRepository(RejectedEvent)
      .find({ where: { source: 'sqs' }, order: { id: 'ASC' } });
    const mine = refused.filter((r) => r.raw.includes(marker));
    expect(mine).toHaveLength(2);
    expect(mine.map((r) => r.reason)).toEqual([expect.stringMatching(/not valid JSON/), expect.stringMatching(/\S/)]);
    // Past the visibility timeout: nothing was redelivered.
    await sleep(3_000);
    expect(metrics.counts.received).toBe(2);
    expect(await queueEmpty(sqs, queueUrl)).toBe(true);
  });

  it('deletes nothing while the database is down; the messages come back and are stored once when it returns', async () => {
    const queueUrl = await newQueue();
    const events = [submissionEvent(), submissionEvent()];
    const outage = await databaseOutage(db());
    try {
      const { metrics } = startConsumer(queueUrl, {
        eventLog: new EventLog(outage.dataSource, buildProjectorRegistry()),
      });
      await outage.cut();
      await sqs.send(
        queueUrl,
        events.map((e) => JSON.stringify(e)),
      );
      await until(() => metrics.counts.failedCommit >= 2, 30_000, 'failed commits');
      expect(metrics.counts.deleted).toBe(0);
      expect(metrics.states).toContain('backing_off');
      const { visible, inFlight } = await sqs.counts(queueUrl);
      expect(visible + inFlight).toBe(2);
      await outage.restore();
      await until(() => metrics.counts.deleted === 2, 60_000, 'deleted after the outage');
      expect(await logCount(outage.dataSource, events)).toBe(2);
      expect(metrics.counts.received).toBeGreaterThan(2); // redelivered after the visibility timeout
    } finally {
      await outage.close();
    }
  });

  it('extends the visibility of a message still in work, so no other consumer receives it meanwhile', async () => {
    const queueUrl = await newQueue();
    const event = submissionEvent();
    const slowLog = new EventLog(db().dataSource, buildProjectorRegistry());
    const slow = startConsumer(queueUrl, {
      eventLog: {
        append: async (...args: Parameters<EventLog['append']>) => {
          await sleep(5_000); // longer than two visibility timeouts
          return slowLog.append(...args);
        },
      },
    });
    await sqs.send(queueUrl, [JSON.stringify(event)]);
    await until(() => slow.metrics.counts.received === 1, 30_000, 'received');
    const other = startConsumer(queueUrl);
    await until(() => slow.metrics.counts.deleted === 1, 30_000, 'the slow consumer deleted it');
    expect(other.metrics.counts.received).toBe(0);
    expect(slow.metrics.counts.received).toBe(1);
    expect(await logCount(db().dataSource, [event])).toBe(1);
  });

  it('shares one queue between two consumers without a duplicate in the log', async () => {
    const queueUrl = await newQueue();
    const events = Array.from({ length: 60 }, () => submissionEvent());
    const first = startConsumer(queueUrl, { receivers: 1 });
    const second = startConsumer(queueUrl, { receivers: 1 });
    await sqs.send(
      queueUrl,
      events.map((e) => JSON.stringify(e)),
    );
    await until(() => first.metrics.counts.deleted + second.metrics.counts.deleted === 60, 60_000, 'all deleted');
    expect(first.metrics.counts.received).toBeGreaterThan(0);
    expect(second.metrics.counts.received).toBeGreaterThan(0);
    expect(first.metrics.counts.received + second.metrics.counts.received).toBe(60);
    const rows = await db()
      .dataSource.getRepository(EventRecord)
      .findBy({ contentHash: In(events.map(contentHashOf)) });
    expect(rows).toHaveLength(60);
    expect(new Set(rows.map((r) => r.contentHash)).size).toBe(60);
  });

  it('backs off while the queue endpoint is unreachable (no hot loop), and receives again when it returns', async () => {
    const queueUrl = await newQueue();
    const proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(sqs.endpoint).port) });
    const client = sqs.clientFor(`http://127.0.0.1:${proxy.port}`);
    try {
      proxy.cut();
      const { metrics } = startConsumer(queueUrl, { client, receivers: 2, backoff: { initialMs: 500, maxMs: 2_000 } });
      await sleep(6_000);
      // Two receivers, each waiting 0.25–0.5 s, 0.5–1 s, 1–2 s, 1–2 s… after its failures (and the
      // SDK's own three attempts inside each): a handful, where a hot loop makes thousands.
      expect(metrics.counts.receiveErrors).toBeGreaterThanOrEqual(2);
      expect(metrics.counts.receiveErrors).toBeLessThanOrEqual(16);
      expect(metrics.states).toContain('backing_off');
      proxy.restore();
      const event = submissionEvent();
      await sqs.send(queueUrl, [JSON.stringify(event)]);
      await until(() => metrics.counts.deleted === 1, 30_000, 'received after the endpoint returned');
      expect(await logCount(db().dataSource, [event])).toBe(1);
    } finally {
      client.destroy();
      await proxy.close();
    }
  });

  it('stops gracefully: no new receives, what was received is committed and deleted', async () => {
    const queueUrl = await newQueue();
    const events = Array.from({ length: 30 }, () => submissionEvent());
    await sqs.send(
      queueUrl,
      events.map((e) => JSON.stringify(e)),
    );
    const { consumer, metrics } = startConsumer(queueUrl, { waitTimeSeconds: 20 });
    await until(() => metrics.counts.received > 0, 30_000, 'a first receive');
    const started = Date.now();
    await consumer.stop();
    // The 20 s long poll was cut short, not waited out.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(metrics.counts.inFlight).toBe(0);
    expect(metrics.counts.committed).toBe(metrics.counts.received);
    expect(metrics.counts.deleted).toBe(metrics.counts.received);
    expect(metrics.states.at(-1)).toBe('stopped');
    const receivedBefore = metrics.counts.received;
    await sleep(1_500);
    expect(metrics.counts.received).toBe(receivedBefore);
  });

  it('stops on SIGTERM after deleting every message it committed', async () => {
    const queueUrl = await newQueue();
    const events = Array.from({ length: 200 }, () => submissionEvent());
    const target = await childDatabase(db());
    try {
      const service = await startService(target.url, {
        ...AWS_TEST_ENV,
        SQS_QUEUE_URLS: queueUrl,
        SQS_ENDPOINT: sqs.endpoint,
        SQS_WAIT_TIME_SECONDS: '20',
      });
      const reader = await target.open();
      try {
        await sqs.send(
          queueUrl,
          events.map((e) => JSON.stringify(e)),
        );
        // Stopped while the queue is still being worked through (200 messages, 10 a receive).
        await until(async () => (await logCount(reader, events)) > 0, 60_000, 'a first event stored');
        await service.stop();
        expect(service.child.exitCode).toBe(0);
        // Every committed message was deleted; what is left in the queue is what was not stored.
        const stored = await logCount(reader, events);
        const { visible, inFlight } = await sqs.counts(queueUrl);
        expect(visible + inFlight).toBe(events.length - stored);
      } finally {
        await reader.destroy();
      }
    } finally {
      target.remove();
    }
  });

  it('stores an event once when the service is killed between its commit and the message delete', async () => {
    const queueUrl = await newQueue();
    const event = submissionEvent();
    const target = await childDatabase(db());
    let service: Awaited<ReturnType<typeof startService>> | undefined;
    let deleteSeen = false;
    // Between the service and SQS: the delete that follows the commit kills the service
    // (SIGKILL) before it reaches the queue.
    const interceptor = await sqsInterceptor(sqs.endpoint, async (target) => {
      if (target !== 'AmazonSQS.DeleteMessageBatch' || !service) return true;
      deleteSeen = true;
      await service.kill();
      return false;
    });
    try {
      service = await startService(target.url, {
        ...AWS_TEST_ENV,
        SQS_QUEUE_URLS: queueUrl,
        SQS_ENDPOINT: interceptor.url,
        SQS_VISIBILITY_TIMEOUT: '2',
        SQS_WAIT_TIME_SECONDS: '1',
      });
      await sqs.send(queueUrl, [JSON.stringify(event)]);
      await until(() => deleteSeen, 60_000, 'the delete after the commit');
      await service.kill();
      expect(service.child.signalCode).toBe('SIGKILL');
      const reader = await target.open();
      try {
        expect(await logCount(reader, [event])).toBe(1); // committed before the kill
        const { metrics } = startConsumer(queueUrl, { eventLog: new EventLog(reader, buildProjectorRegistry()) });
        await until(() => metrics.counts.deleted === 1, 30_000, 'the redelivered message deleted');
        expect(await logCount(reader, [event])).toBe(1); // the redelivery was a duplicate
        expect(await queueEmpty(sqs, queueUrl)).toBe(true);
      } finally {
        await Promise.all(running.splice(0).map((c) => c.stop()));
        await reader.destroy();
      }
    } finally {
      await service?.kill();
      await interceptor.close();
      target.remove();
    }
  });
});

/**
 * A database the test can take away and give back: MySQL through a TCP proxy that is cut;
 * SQLite (which lives in this process) in a file whose connection is closed and reopened.
 */
async function databaseOutage(db: TestDatabase) {
  if (db.kind === 'mysql') {
    const target = new URL(db.url);
    const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 3306) });
    const dataSource = await openDataSource({
      url: proxy.proxiedUrl(db.url),
      entities,
      migrations,
      migrate: false,
      poolSize: 2,
    });
    return {
      dataSource,
      cut: async () => proxy.cut(),
      restore: async () => proxy.restore(),
      close: async () => {
        await dataSource.destroy().catch(() => undefined);
        await proxy.close();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'sqs-outage-'));
  const dataSource = await openDataSource({ url: `sqlite:${join(dir, 'events.sqlite')}`, entities, migrations });
  return {
    dataSource,
    cut: () => dataSource.destroy(),
    restore: async () => {
      await dataSource.initialize();
    },
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The database a child service process uses: the MySQL test database, or an SQLite file. */
async function childDatabase(db: TestDatabase) {
  if (db.kind === 'mysql') {
    return {
      url: db.url,
      open: () => openDataSource({ url: db.url, entities, migrations, migrate: false }),
      remove: () => undefined,
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'sqs-crash-'));
  const url = `sqlite:${join(dir, 'events.sqlite')}`;
  return {
    url,
    open: () => openDataSource({ url, entities, migrations, migrate: false }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * An HTTP proxy in front of the SQS server that shows each call's action
 * (X-Amz-Target) to `admit` first; a call it refuses is dropped unanswered.
 */
async function sqsInterceptor(upstream: string, admit: (target: string) => Promise<boolean>) {
  const to = new URL(upstream);
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const body: Buffer[] = [];
    for await (const chunk of req) body.push(chunk as Buffer);
    if (!(await admit(String(req.headers['x-amz-target'] ?? '')))) {
      req.socket.destroy();
      return;
    }
    const forward = request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => req.socket.destroy());
    forward.end(Buffer.concat(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
