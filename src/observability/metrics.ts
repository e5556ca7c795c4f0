// Prometheus metrics for one app: events ingested by name and outcome, ingest latency,
// GraphQL operations with duration and errors, database connections in use, and the
// process defaults. Each app gets its own registry (never prom-client's global one), so
// several apps in one process — tests — do not clash.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { FallbackReason, ReplicaStatus } from '../db/read-sources';
import type { SqsConsumerMetrics, SqsConsumerState } from '../delivery/sqs-consumer';
import type { IngestSource, ItemOutcome } from '../ingest/event-log';

const PREFIX = 'canvas_events_';

/** The delivery an event came by, from the ingest route that received it; other routes (LTI) have none. */
const DELIVERY_OF_ROUTE: Record<string, string> = { events: 'https', sqs: 'sqs' };

const SQS_STATES: readonly SqsConsumerState[] = ['receiving', 'backing_off', 'stopped'];

/**
 * Caps the distinct values of a label that callers choose (event names, operation
 * names): a flood of made-up names must not become a flood of time series.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly max: number,
    private readonly pattern = /^[A-Za-z0-9_.:-]{1,80}$/,
  ) {}

  value(raw: string | null | undefined, fallback: string): string {
    if (!raw) return fallback;
    if (!this.pattern.test(raw)) return 'other';
    if (this.seen.has(raw)) return raw;
    if (this.seen.size >= this.max) return 'other';
    this.seen.add(raw);
    return raw;
  }
}

export interface PoolStats {
  inUse: number;
  idle: number;
  waiting: number;
  max: number;
}

/** Connections of the DataSource's pool: mysql2's pool counters, or SQLite's single connection. */
export function poolStats(dataSource: DataSource): PoolStats {
  if (!dataSource.isInitialized) return { inUse: 0, idle: 0, waiting: 0, max: 0 };
  const pool = (dataSource.driver as { pool?: MysqlPoolInternals }).pool;
  if (dataSource.options.type === 'mysql' && pool?._allConnections) {
    // mysql2 exposes no public stats; these queues are what its own getConnection() uses.
    const all = pool._allConnections.length;
    const idle = pool._freeConnections?.length ?? 0;
    return {
      inUse: all - idle,
      idle,
      waiting: pool._connectionQueue?.length ?? 0,
      max: pool.config?.connectionLimit ?? 0,
    };
  }
  // better-sqlite3: one connection, opened at start, used by every statement in turn.
  return { inUse: 1, idle: 0, waiting: 0, max: 1 };
}

interface MysqlPoolInternals {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
  config?: { connectionLimit?: number };
}

export class Metrics {
  readonly registry = new Registry();
  readonly contentType = this.registry.contentType;

  private readonly eventNames = new BoundedLabel(500);
  private readonly operationNames = new BoundedLabel(200);

  private readonly eventsIngested = new Counter({
    name: `${PREFIX}ingested_total`,
    help: 'Events received, by event name and outcome (stored, duplicate, invalid, unprojected, rejected).',
    labelNames: ['event_name', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly ingestDuration = new Histogram({
    name: `${PREFIX}ingest_duration_seconds`,
    help: 'Time to answer an ingest request (POST /events, POST /lti/launch), by route and HTTP status.',
    labelNames: ['route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
    registers: [this.registry],
  });

  private readonly strangerRefusals = new Counter({
    name: `${PREFIX}stranger_refusals_total`,
    help:
      'Refusals of unauthenticated callers, by route and outcome: recorded (a bounded record kept), ' +
      'unrecorded (over REFUSAL_RECORDS_PER_MINUTE, only counted here), rate_limited (429).',
    labelNames: ['route', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly graphqlOperations = new Counter({
    name: `${PREFIX}graphql_operations_total`,
    help: 'GraphQL operations, by operation name and type, and whether they answered with errors.',
    labelNames: ['operation_name', 'operation_type', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly graphqlDuration = new Histogram({
    name: `${PREFIX}graphql_operation_duration_seconds`,
    help: 'Time from receiving a GraphQL operation to sending its answer, by operation name and type.',
    labelNames: ['operation_name', 'operation_type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly graphqlErrors = new Counter({
    name: `${PREFIX}graphql_errors_total`,
    help: 'Errors in GraphQL answers, by operation name and error code.',
    labelNames: ['operation_name', 'code'] as const,
    registers: [this.registry],
  });

  private readonly readFallbacks = new Counter({
    name: `${PREFIX}read_fallbacks_total`,
    help: 'Answers that were to read from a read replica but read from the primary: none was in rotation, or theirs failed.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  /** When the newest event arrived, by delivery (https, sqs): for alerting when Canvas goes silent. */
  private readonly newestEventAt = new Map<string, number>();

  private readonly sqsMessages = new Counter({
    name: `${PREFIX}sqs_messages_total`,
    help:
      'SQS messages, by queue and stage: received, committed (its events in the log, or its refusal kept), ' +
      'deleted (after commit), failed_commit (left for redelivery), failed_delete, failed_extend (visibility).',
    labelNames: ['queue', 'stage'] as const,
    registers: [this.registry],
  });

  private readonly sqsReceiveErrors = new Counter({
    name: `${PREFIX}sqs_receive_errors_total`,
    help: 'Failed ReceiveMessage calls (queue endpoint unreachable, credentials, permissions), by queue.',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  private readonly sqsReceiveLag = new Histogram({
    name: `${PREFIX}sqs_receive_lag_seconds`,
    help: 'Time from a message being sent to the queue (SentTimestamp) to its receipt here, by queue.',
    labelNames: ['queue'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 3600, 21600, 86400],
    registers: [this.registry],
  });

  private readonly sqsInFlight = new Gauge({
    name: `${PREFIX}sqs_messages_in_flight`,
    help: 'SQS messages received and not yet deleted or left for redelivery, by queue.',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  private readonly sqsConsumerState = new Gauge({
    name: `${PREFIX}sqs_consumer_state`,
    help: 'The SQS consumer of each queue: 1 for its current state (receiving, backing_off, stopped), 0 for the others.',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });

  constructor(dataSource: DataSource, options: { processMetrics?: boolean } = {}) {
    const newestEventAt = this.newestEventAt;
    new Gauge({
      name: `${PREFIX}newest_event_age_seconds`,
      help:
        'Seconds since the newest event arrived, by delivery (https, sqs); absent until the first one. ' +
        'Alert when it grows past what your Canvas traffic allows.',
      labelNames: ['delivery'] as const,
      registers: [this.registry],
      collect() {
        const now = Date.now();
        for (const [delivery, at] of newestEventAt) this.set({ delivery }, (now - at) / 1000);
      },
    });
    const pool = (state: keyof PoolStats) => () => poolStats(dataSource)[state];
    const gauges: Array<[string, string, () => number]> = [
      [
        'db_connections_in_use',
        'Database connections running a statement or transaction now (SQLite: its one connection).',
        pool('inUse'),
      ],
      ['db_connections_idle', 'Open database connections waiting in the pool.', pool('idle')],
      ['db_connections_waiting', 'Requests waiting for a free database connection.', pool('waiting')],
      ['db_connections_max', 'The most connections the pool opens.', pool('max')],
    ];
    for (const [name, help, read] of gauges) {
      new Gauge({
        name: `${PREFIX}${name}`,
        help,
        registers: [this.registry],
        collect() {
          this.set(read());
        },
      });
    }
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  recordIngest(outcomes: readonly ItemOutcome[], source?: IngestSource): void {
    const delivery = source && DELIVERY_OF_ROUTE[source.route];
    if (delivery && outcomes.some((o) => o.status !== 'rejected')) this.newestEventAt.set(delivery, Date.now());
    for (const outcome of outcomes) {
      this.eventsIngested.inc({ event_name: this.eventNames.value(outcome.name, 'unknown'), outcome: outcome.status });
    }
  }

  recordReadFallback(reason: FallbackReason): void {
    this.readFallbacks.inc({ reason });
  }

  /** Each read replica's lag (-1 when unknown) and whether it is in rotation, read at every scrape. */
  watchReplicas(statuses: () => ReplicaStatus[]): void {
    new Gauge({
      name: `${PREFIX}replica_lag_seconds`,
      help: 'Seconds each read replica was behind the primary at its last check; -1 when unknown or unreachable.',
      labelNames: ['replica'] as const,
      registers: [this.registry],
      collect() {
        for (const s of statuses()) this.set({ replica: s.name }, s.lagSeconds ?? -1);
      },
    });
    new Gauge({
      name: `${PREFIX}replica_in_rotation`,
      help: 'Whether each read replica serves reads (1) or is out of rotation (0: lagging, lag unknown, unreachable).',
      labelNames: ['replica'] as const,
      registers: [this.registry],
      collect() {
        for (const s of statuses()) this.set({ replica: s.name }, s.inRotation ? 1 : 0);
      },
    });
  }

  /** The SQS consumer's reports for one queue (its name, bounded by SQS_QUEUE_URLS). */
  sqsQueue(queue: string): SqsConsumerMetrics {
    const count = (stage: string, n: number) => this.sqsMessages.inc({ queue, stage }, n);
    for (const stage of ['received', 'committed', 'deleted', 'failed_commit', 'failed_delete', 'failed_extend']) {
      count(stage, 0);
    }
    this.sqsReceiveErrors.inc({ queue }, 0);
    this.sqsInFlight.set({ queue }, 0);
    return {
      received: (n, lagSeconds) => {
        count('received', n);
        for (const lag of lagSeconds) this.sqsReceiveLag.observe({ queue }, lag);
      },
      committed: (n) => count('committed', n),
      deleted: (n) => count('deleted', n),
      failed: (stage, n) => count(`failed_${stage}`, n),
      receiveFailed: () => this.sqsReceiveErrors.inc({ queue }),
      inFlight: (delta) => this.sqsInFlight.inc({ queue }, delta),
      state: (current) => {
        for (const state of SQS_STATES) this.sqsConsumerState.set({ queue, state }, state === current ? 1 : 0);
      },
    };
  }

  recordStrangerRefusal(route: string, outcome: 'recorded' | 'unrecorded' | 'rate_limited'): void {
    this.strangerRefusals.inc({ route, outcome });
  }

  observeIngestRequest(route: string, status: number, seconds: number): void {
    this.ingestDuration.observe({ route, status: String(status) }, seconds);
  }

  recordGraphqlOperation(operation: {
    name: string | null;
    type: string | null;
    seconds: number;
    errorCodes: string[];
  }): void {
    const operation_name = this.operationNames.value(operation.name, 'anonymous');
    const operation_type = operation.type ?? 'unknown';
    this.graphqlOperations.inc({
      operation_name,
      operation_type,
      outcome: operation.errorCodes.length ? 'error' : 'ok',
    });
    this.graphqlDuration.observe({ operation_name, operation_type }, operation.seconds);
    for (const code of operation.errorCodes) this.graphqlErrors.inc({ operation_name, code });
  }

  /** The exposition text for GET /metrics. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
