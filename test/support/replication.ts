// A real MariaDB primary and replicas for tests and benchmarks: `mariadbd` processes on
// random loopback ports, each with its own data directory in a temp dir, the replicas
// following the primary by GTID (`CHANGE MASTER TO … MASTER_USE_GTID=slave_pos`) with
// `read_only=ON`. Each runs as the leader of its own process group (./process-group.ts),
// so cleanup kills them whatever happens; `stop` also removes the temp dir. Skipped (null)
// only where MariaDB's server binaries are absent. As root (CI) mariadbd needs
// `--user=root`; as anyone else it runs as that user, who owns the temp dir.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { killGroup, spawnGroup } from './process-group';

const run = promisify(execFile);

export interface MariadbServer {
  port: number;
  /** mariadbd's process id (benchmarks read its CPU time). */
  pid: number;
  /** mysql://root@127.0.0.1:<port>/<database> */
  url(database: string): string;
  /** One statement as root on a fresh connection. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A global status counter such as Com_select. */
  status(name: string): Promise<number>;
  /** SIGKILL to the server's process group; resolves once it is gone. */
  kill(): Promise<void>;
}

export interface ReplicationPair {
  primary: MariadbServer;
  /** The first replica. */
  replica: MariadbServer;
  replicas: MariadbServer[];
  /** Waits until every replica has applied everything the primary has written so far. */
  caughtUp(timeoutSeconds?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Why replication tests cannot run here, or null when they can. */
export function replicationUnavailable(): string | null {
  for (const binary of ['mariadb-install-db', 'mariadbd']) {
    if (!binaryPath(binary)) return `${binary} is not installed: the read-replica tests need MariaDB's server binaries`;
  }
  return null;
}

/** Where `binary` is: on PATH, or in /usr/sbin (mariadbd's home, often not on a user's PATH). */
function binaryPath(binary: string): string | null {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean).concat('/usr/sbin', '/usr/local/sbin');
  const dir = dirs.find((d) => existsSync(join(d, binary)));
  return dir ? join(dir, binary) : null;
}

/** A free loopback port above 20000, chosen at random (never 3306). */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 40_000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

const asRoot = process.getuid?.() === 0;

async function startServer(dir: string, serverId: number, extra: string[]): Promise<MariadbServer> {
  const port = await freePort();
  const child = spawnGroup(
    binaryPath('mariadbd')!,
    [
      '--no-defaults',
      ...(asRoot ? ['--user=root'] : []),
      `--datadir=${join(dir, 'data')}`,
      `--socket=${join(dir, 'mariadb.sock')}`,
      `--pid-file=${join(dir, 'mariadb.pid')}`,
      `--log-error=${join(dir, 'error.log')}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--server-id=${serverId}`,
      '--innodb-buffer-pool-size=64M',
      '--innodb-flush-log-at-trx-commit=2',
      '--max-connections=300',
      ...extra,
    ],
    { stdio: 'ignore' },
  );
  const connect = () => mysql.createConnection({ host: '127.0.0.1', port, user: 'root', supportBigNumbers: true });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await (await connect()).end();
      break;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`mariadbd on port ${port} did not start (see ${dir}/error.log): ${String(error)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const query = async <T>(sql: string, params: unknown[] = []) => {
    const connection = await connect();
    try {
      const [rows] = await connection.query(sql, params);
      return rows as T[];
    } finally {
      await connection.end();
    }
  };
  return {
    port,
    pid: child.pid!,
    url: (database) => `mysql://root@127.0.0.1:${port}/${database}`,
    query,
    status: async (name) => {
      const [row] = await query<{ Value: string }>('SHOW GLOBAL STATUS LIKE ?', [name]);
      return Number(row.Value);
    },
    kill: () => killGroup(child.pid!),
  };
}

/** Starts a primary and `replicaCount` GTID replicas of it; null when MariaDB's binaries are absent. */
export async function startReplicationPair(replicaCount = 1): Promise<ReplicationPair | null> {
  if (replicationUnavailable()) return null;
  const root = await mkdtemp(join(tmpdir(), 'replication-'));
  const servers: MariadbServer[] = [];
  const stop = async () => {
    await Promise.all(servers.map((s) => s.kill().catch(() => undefined)));
    await rm(root, { recursive: true, force: true });
  };
  try {
    // One system database, copied: installing it twice would double the slowest step.
    await run(
      binaryPath('mariadb-install-db')!,
      [
        '--no-defaults',
        ...(asRoot ? ['--user=root'] : []),
        `--datadir=${join(root, 'primary', 'data')}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
      ],
      { timeout: 120_000 },
    );
    for (let i = 1; i <= replicaCount; i++) {
      await cp(join(root, 'primary'), join(root, `replica-${i}`), { recursive: true });
    }
    const primary = await startServer(join(root, 'primary'), 1, ['--log-bin=primary-bin', '--binlog-format=ROW']);
    servers.push(primary);
    const replicas: MariadbServer[] = [];
    for (let i = 1; i <= replicaCount; i++) {
      const replica = await startServer(join(root, `replica-${i}`), 1 + i, [
        '--relay-log=replica-relay',
        '--read-only=ON',
      ]);
      servers.push(replica);
      replicas.push(replica);
      await replica.query(
        `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${primary.port}, MASTER_USER='root', MASTER_PASSWORD='', MASTER_USE_GTID=slave_pos`,
      );
      await replica.query('START SLAVE');
    }
    const caughtUp = async (timeoutSeconds = 60) => {
      // SHOW, not SELECT: tests count the primary's Com_select.
      const [{ Value: pos }] = await primary.query<{ Value: string }>("SHOW GLOBAL VARIABLES LIKE 'gtid_binlog_pos'");
      for (const replica of replicas) {
        const [{ waited }] = await replica.query<{ waited: number }>('SELECT MASTER_GTID_WAIT(?, ?) AS waited', [
          pos,
          timeoutSeconds,
        ]);
        if (Number(waited) !== 0) throw new Error(`a replica did not reach ${pos} within ${timeoutSeconds} s`);
      }
    };
    return { primary, replica: replicas[0], replicas, caughtUp, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
