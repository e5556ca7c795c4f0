// Where reads come from. With read replicas (DATABASE_REPLICA_URLS, MySQL/MariaDB only) each
// answer — a GraphQL request, an export, a stats query — takes ONE source for its whole
// duration (`pick`): a replica in rotation, chosen round-robin, or the primary when none is
// in rotation or the caller asked for read-your-writes. Ingest, LTI, migrations, readiness
// and replay never come here: they use the primary DataSource directly.
//
// A replica is in rotation while its last check found it reachable, replicating, and no
// more than `maxLagSeconds` behind. Lag unknown (`Seconds_Behind_Master` NULL: its SQL
// thread stopped, or the server is no replica) counts as too far behind. A replica whose
// read fails as unreachable leaves rotation at once; the next check that finds it caught up
// brings it back. Replica connections are read-only sessions: root may write despite
// `read_only`, and a write there would break replication.
import type { DataSource } from 'typeorm';
import { isDatabaseUnavailable } from './availability';
import { connectReplica } from './data-source';

export type Consistency = 'replica' | 'primary';

/** The one database an answer reads from. */
export interface ReadSource {
  /** `primary`, or the replica's name (`replica-1`, … in DATABASE_REPLICA_URLS order). */
  readonly name: string;
  readonly dataSource: DataSource;
  readonly replica: boolean;
}

export type FallbackReason = 'none_in_rotation' | 'replica_failed';

export type ReplicaCondition = 'unchecked' | 'in rotation' | 'lagging' | 'lag unknown' | 'unreachable';

/** What /readyz reports of each replica. */
export interface ReplicaStatus {
  name: string;
  condition: ReplicaCondition;
  inRotation: boolean;
  /** Seconds behind the primary at the last check; null when unknown or unreachable. */
  lagSeconds: number | null;
  checkedAt: string | null;
}

export interface ReadSourceOptions {
  /** Above this lag (and when the lag is unknown) a replica leaves rotation. */
  maxLagSeconds: number;
  /** Time between lag checks. */
  checkIntervalMs: number;
  /** A lag check that takes longer than this finds the replica unreachable. */
  checkTimeoutMs?: number;
  /** Called when an answer that wanted a replica reads from the primary: none was in rotation, or its replica failed. */
  onFallback?: (reason: FallbackReason) => void;
  /** Called when a replica's condition changes (for the log). */
  onChange?: (status: ReplicaStatus, error?: unknown) => void;
}

interface Replica extends ReadSource {
  status: ReplicaStatus;
  connecting: Promise<void> | null;
}

export class ReadSources {
  readonly primary: ReadSource;
  private readonly replicas: Replica[];
  private next = 0;
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;

  constructor(
    primary: DataSource,
    replicas: readonly DataSource[] = [],
    private readonly options: ReadSourceOptions = { maxLagSeconds: 30, checkIntervalMs: 5000 },
  ) {
    this.primary = { name: 'primary', dataSource: primary, replica: false };
    this.replicas = replicas.map((dataSource, i) => ({
      name: `replica-${i + 1}`,
      dataSource,
      replica: true,
      connecting: null,
      status: {
        name: `replica-${i + 1}`,
        condition: 'unchecked',
        inRotation: false,
        lagSeconds: null,
        checkedAt: null,
      },
    }));
  }

  get hasReplicas(): boolean {
    return this.replicas.length > 0;
  }

  /** The source of one answer: the next replica in rotation, else (or when asked) the primary. */
  pick(consistency: Consistency = 'replica'): ReadSource {
    if (consistency === 'primary' || this.replicas.length === 0) return this.primary;
    for (let tried = 0; tried < this.replicas.length; tried++) {
      const replica = this.replicas[this.next++ % this.replicas.length];
      if (replica.status.inRotation) return replica;
    }
    this.options.onFallback?.('none_in_rotation');
    return this.primary;
  }

  /**
   * A read on `source` failed with `error`. When a replica proved unreachable it leaves
   * rotation and the answer may be computed again on the primary: returns true then.
   */
  failed(source: ReadSource, error: unknown): boolean {
    const replica = this.replicas.find((r) => r === source);
    if (!replica || !isDatabaseUnavailable(error)) return false;
    this.update(replica, { condition: 'unreachable', lagSeconds: null }, error);
    this.options.onFallback?.('replica_failed');
    return true;
  }

  /** Each replica's condition at its last check. */
  statuses(): ReplicaStatus[] {
    return this.replicas.map((r) => ({ ...r.status }));
  }

  /** Checks every replica's lag now (one round; concurrent callers share it). */
  check(): Promise<void> {
    this.checking ??= Promise.all(this.replicas.map((r) => this.checkOne(r))).then(
      () => {
        this.checking = null;
      },
      () => {
        this.checking = null;
      },
    );
    return this.checking;
  }

  /** Checks now, then every `checkIntervalMs` until `stop`. */
  async start(): Promise<void> {
    if (this.replicas.length === 0 || this.timer) return;
    await this.check();
    this.timer = setInterval(() => void this.check(), this.options.checkIntervalMs);
    this.timer.unref();
  }

  /** Stops the checks and closes the replicas' pools (the primary is its owner's to close). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.checking;
    await Promise.all(
      this.replicas.map(async (r) => {
        await r.connecting?.catch(() => undefined);
        if (r.dataSource.isInitialized) await r.dataSource.destroy().catch(() => undefined);
      }),
    );
  }

  private async checkOne(replica: Replica): Promise<void> {
    try {
      const lag = await withTimeout(this.options.checkTimeoutMs ?? 3000, async () => {
        await this.connect(replica);
        return replicationLag(replica.dataSource);
      });
      const condition: ReplicaCondition =
        lag === null ? 'lag unknown' : lag > this.options.maxLagSeconds ? 'lagging' : 'in rotation';
      this.update(replica, { condition, lagSeconds: lag });
    } catch (error) {
      this.update(replica, { condition: 'unreachable', lagSeconds: null }, error);
    }
  }

  /** Connects a replica not connected yet (down at start); one attempt at a time. */
  private async connect(replica: Replica): Promise<void> {
    if (replica.dataSource.isInitialized) return;
    replica.connecting ??= connectReplica(replica.dataSource).finally(() => {
      replica.connecting = null;
    });
    await replica.connecting;
  }

  private update(
    replica: Replica,
    next: { condition: ReplicaCondition; lagSeconds: number | null },
    error?: unknown,
  ): void {
    const changed = replica.status.condition !== next.condition;
    replica.status = {
      ...replica.status,
      ...next,
      inRotation: next.condition === 'in rotation',
      checkedAt: new Date().toISOString(),
    };
    if (changed) this.options.onChange?.({ ...replica.status }, error);
  }
}

/**
 * Seconds the replica is behind its primary; null when unknown (SQL thread stopped, or not
 * a replica at all). `SHOW REPLICA STATUS` (MariaDB ≥ 10.5.1, MySQL ≥ 8.0.22) or, on older
 * servers, `SHOW SLAVE STATUS`. Needs the REPLICATION CLIENT (MariaDB: SLAVE MONITOR) privilege.
 */
export async function replicationLag(dataSource: DataSource): Promise<number | null> {
  let rows: Array<Record<string, unknown>>;
  try {
    rows = await dataSource.query('SHOW REPLICA STATUS');
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw error;
    rows = await dataSource.query('SHOW SLAVE STATUS');
  }
  const row = rows[0];
  if (!row) return null;
  const lag = row.Seconds_Behind_Master ?? row.Seconds_Behind_Source;
  return lag === null || lag === undefined ? null : Number(lag);
}

/**
 * Waits until `replica` has applied every transaction `primary` had committed when this is
 * called, for at most `timeoutSeconds`: MariaDB's MASTER_GTID_WAIT on the primary's
 * @@gtid_binlog_pos, or MySQL's WAIT_FOR_EXECUTED_GTID_SET on its @@gtid_executed. False
 * when it did not catch up in time, or when the servers offer neither (no GTIDs).
 */
export async function replicaCaughtUp(
  primary: DataSource,
  replica: DataSource,
  timeoutSeconds: number,
): Promise<boolean> {
  const flavours = [
    { position: 'SELECT @@GLOBAL.gtid_binlog_pos AS pos', wait: 'SELECT MASTER_GTID_WAIT(?, ?) AS waited' },
    { position: 'SELECT @@GLOBAL.gtid_executed AS pos', wait: 'SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?) AS waited' },
  ];
  for (const flavour of flavours) {
    let rows: Array<{ pos: unknown }>;
    try {
      rows = await primary.query(flavour.position);
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error;
      continue; // the other server's variable
    }
    const [{ waited }] = (await replica.query(flavour.wait, [String(rows[0]?.pos ?? ''), timeoutSeconds])) as {
      waited: unknown;
    }[];
    // 0: caught up; -1 (MariaDB) or 1 (MySQL): timed out.
    return Number(waited) === 0;
  }
  return false;
}

/** `work`'s answer, or a failure once `ms` have passed without one. */
export function withTimeout<T>(ms: number, work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    work()
      .then(resolve, reject)
      .finally(() => clearTimeout(timer));
  });
}
