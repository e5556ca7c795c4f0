// npm run bench:replicas [-- --runs 5] [--seconds 10]
// Read throughput with 0, 1 and 2 read replicas: the course dashboard (one course of 100
// submissions, each with comments, history and course) over HTTP from 16 concurrent
// clients, against a real MariaDB primary and GTID replicas started for the run (two or
// three mariadbd processes in a temp dir, test/support/replication.ts). Besides queries/s,
// the CPU each process spent per query (the service, the primary, each replica; from
// /proc) and where the SELECTs went, so bench/README.md can say what the figures mean on
// separate machines. MySQL/MariaDB only; needs mariadb-install-db.
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { runCli } from '../src/cli/runtime';
import { replicationUnavailable, startReplicationPair, MariadbServer } from '../test/support/replication';
import { startBenchServer } from './lib/child';
import { DASHBOARD_QUERY } from './lib/dashboard';
import { BenchOptions, load1, parseOptions, waitForQuiet } from './lib/options';
import { saveSection } from './lib/results';
import { cell, Figure, printTable, repeat } from './lib/stats';
import { load, worldEvents } from './query';

export const REPLICA_COUNTS = [0, 1, 2] as const;
const CONNECTIONS = 16;
const SUBMISSIONS = 100;

export interface ReplicaRow {
  replicas: number;
  queriesPerSecond: Figure;
  p50: Figure;
  p99: Figure;
  errors: Figure;
  /** CPU milliseconds per answered query: the service process, the primary, the replicas together. */
  serviceCpuMs: Figure;
  primaryCpuMs: Figure;
  replicasCpuMs: Figure;
  /** Share of the run's SELECTs each database served. */
  selectShare: Record<string, number>;
}

/** utime + stime of a process, in seconds (Linux clock ticks are 1/100 s). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export async function runReplicas(options: BenchOptions): Promise<ReplicaRow[]> {
  const why = replicationUnavailable();
  if (why) throw new Error(`bench:replicas cannot run here: ${why}`);
  const pair = (await startReplicationPair(2))!;
  try {
    const [{ version }] = await pair.primary.query<{ version: string }>('SELECT VERSION() AS version');
    await pair.primary.query('CREATE DATABASE bench');
    const url = pair.primary.url('bench');
    // Migrated by the first DataSource load() opens; the world replicates to both replicas.
    const { openDataSource } = await import('../src/db/data-source');
    const { entities, migrations } = await import('../src/modules');
    await (await openDataSource({ url, entities, migrations })).destroy();
    const world = worldEvents(SUBMISSIONS, 1_000_000);
    await load(url, world.events);
    await pair.caughtUp(300);
    const body = JSON.stringify({ query: DASHBOARD_QUERY, variables: world.variables });
    const databases: Array<[string, MariadbServer]> = [
      ['primary', pair.primary],
      ...pair.replicas.map((r, i): [string, MariadbServer] => [`replica-${i + 1}`, r]),
    ];

    const start = await waitForQuiet(options.quietLoad);
    const rows: ReplicaRow[] = [];
    for (const count of REPLICA_COUNTS) {
      const server = await startBenchServer(url, [], {
        BENCH_REPLICA_URLS: pair.replicas
          .slice(0, count)
          .map((r) => r.url('bench'))
          .join(','),
      });
      try {
        const ready = (await (await fetch(`${server.url}/readyz`)).json()) as {
          replicas?: Array<{ inRotation: boolean }>;
        };
        if ((ready.replicas ?? []).filter((r) => r.inRotation).length !== count) {
          throw new Error(`expected ${count} replicas in rotation: ${JSON.stringify(ready)}`);
        }
        const selects: Record<string, number> = {};
        const figures = await repeat(options.runs, !options.tiny, async () => {
          const cpu0 = databases.map(([, db]) => cpuSeconds(db.pid));
          const service0 = cpuSeconds(server.pid);
          const select0 = await Promise.all(databases.map(([, db]) => db.status('Com_select')));
          const result = await autocannon({
            url: `${server.url}/graphql`,
            connections: CONNECTIONS,
            duration: options.singleSeconds,
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          });
          const select1 = await Promise.all(databases.map(([, db]) => db.status('Com_select')));
          databases.forEach(([name], i) => (selects[name] = (selects[name] ?? 0) + select1[i] - select0[i]));
          const cpu = databases.map(([, db], i) => cpuSeconds(db.pid) - cpu0[i]);
          const answered = Math.max(1, result['2xx']);
          const perQuery = (seconds: number) => (seconds * 1000) / answered;
          return {
            queriesPerSecond: result['2xx'] / options.singleSeconds,
            p50: result.latency.p50,
            p99: result.latency.p99,
            errors: result.non2xx + result.errors + result.timeouts,
            serviceCpuMs: perQuery(cpuSeconds(server.pid) - service0),
            primaryCpuMs: perQuery(cpu[0]),
            replicasCpuMs: perQuery(cpu.slice(1).reduce((a, b) => a + b, 0)),
          };
        });
        const total = Object.values(selects).reduce((a, b) => a + b, 0) || 1;
        const selectShare = Object.fromEntries(
          Object.entries(selects).map(([name, n]) => [name, Number((n / total).toFixed(3))]),
        );
        rows.push({ replicas: count, ...figures, selectShare });
      } finally {
        await server.stop();
      }
    }
    printTable(
      `Read replicas: course dashboard (${SUBMISSIONS} submissions), ${CONNECTIONS} clients (median (min–max) of ${options.runs} runs)`,
      [
        'replicas',
        'queries/s',
        'p50 ms',
        'p99 ms',
        'errors',
        'CPU ms/query: service',
        'primary',
        'replicas',
        'SELECTs',
      ],
      rows.map((r) => [
        String(r.replicas),
        cell(r.queriesPerSecond, 0),
        cell(r.p50, 1),
        cell(r.p99, 1),
        cell(r.errors, 0),
        cell(r.serviceCpuMs, 2),
        cell(r.primaryCpuMs, 2),
        cell(r.replicasCpuMs, 2),
        Object.entries(r.selectShare)
          .map(([name, share]) => `${name} ${(share * 100).toFixed(0)} %`)
          .join(', '),
      ]),
    );
    saveSection(options, 'mysql', version, 'replicas', {
      measuredAt: new Date().toISOString(),
      load: { start, end: load1() },
      runs: options.runs,
      seconds: options.singleSeconds,
      connections: CONNECTIONS,
      submissions: SUBMISSIONS,
      rows,
    });
    return rows;
  } finally {
    await pair.stop();
  }
}

if (require.main === module) runCli(() => runReplicas(parseOptions()).then(() => undefined));
