// The read-replica section of bench/README.md (bench/replicas.ts): queries/s with 0, 1
// and 2 replicas on this machine, and — from the CPU each process spent per query — what
// the same service would do with the processes on separate machines.
import type { Section } from './results';
import { cell, Figure } from './stats';

interface ReplicaRow {
  replicas: number;
  queriesPerSecond: Figure;
  p50: Figure;
  p99: Figure;
  errors: Figure;
  serviceCpuMs: Figure;
  primaryCpuMs: Figure;
  replicasCpuMs: Figure;
  selectShare: Record<string, number>;
}

const fmt = (x: number, digits = 1) => x.toLocaleString('en-US', { maximumFractionDigits: digits });

export function replicasSection(s: Section, cores: number): string {
  const rows = s.rows as ReplicaRow[];
  const table = [
    `| replicas | queries/s | p50 ms | p99 ms | errors | CPU ms per query: service | primary | replicas | SELECTs served by |`,
    `| --- | --- | --- | --- | --- | --- | --- | --- | --- |`,
    ...rows.map(
      (r) =>
        `| ${r.replicas} | ${cell(r.queriesPerSecond, 0)} | ${cell(r.p50, 1)} | ${cell(r.p99, 1)} | ${cell(r.errors, 0)} | ${cell(r.serviceCpuMs, 2)} | ${cell(r.primaryCpuMs, 2)} | ${cell(r.replicasCpuMs, 2)} | ${Object.entries(
          r.selectShare,
        )
          .filter(([, share]) => share > 0)
          .map(([name, share]) => `${name} ${fmt(share * 100, 0)} %`)
          .join(', ')} |`,
    ),
  ];
  const base = rows.find((r) => r.replicas === 0);
  const one = rows.find((r) => r.replicas === 1);
  if (!base || !one) return table.join('\n');
  const a = one.serviceCpuMs.median;
  const d = one.replicasCpuMs.median;
  const ceiling = (cores * 1000) / (a + d);
  const c = 8;
  const perInstance = (c * 1000) / a;
  const perDatabase = (c * 1000) / d;
  const target = 1000;
  const instances = Math.ceil(target / perInstance);
  const replicas = Math.ceil(target / perDatabase);
  const paragraph = [
    `**What it means.** One dashboard answer (${fmt(Number(s.submissions), 0)} submissions, six statements) cost ${fmt(a, 2)} ms of CPU in the service and ${fmt(d, 2)} ms in the database that served it (medians with one replica; the primary then spent ${fmt(one.primaryCpuMs.median, 2)} ms per query: its lag checks and replication, no reads).`,
    `On this machine every process shares ${cores} cores, so ${cores} × 1000 / (${fmt(a, 2)} + ${fmt(d, 2)}) ≈ ${fmt(ceiling, 0)} queries/s is the ceiling whatever the topology: replicas add no cores here, they only split the same CPU (the SELECT shares show the round-robin), and the figures (${rows.map((r) => `${fmt(r.queriesPerSecond.median, 0)} with ${r.replicas}`).join(', ')}) measure that, and the other load on the machine, not replication.`,
    `On separate machines of c cores each, one service instance answers at most c × 1000 / ${fmt(a, 2)} queries/s and one database server c × 1000 / ${fmt(d, 2)}: with c = ${c}, about ${fmt(perInstance, 0)} and ${fmt(perDatabase, 0)}.`,
    `${target.toLocaleString('en-US')} dashboard queries/s would then take ⌈${target} / ${fmt(perInstance, 0)}⌉ = ${instances} instance${instances === 1 ? '' : 's'} and ⌈${target} / ${fmt(perDatabase, 0)}⌉ = ${replicas} replica${replicas === 1 ? '' : 's'} (plus the primary, which keeps ingest);`,
    `throughput grows with min(instances × ${fmt(perInstance, 0)}, replicas × ${fmt(perDatabase, 0)}) until the network or the primary's binlog stream is the limit, at the price of reads up to REPLICA_MAX_LAG_SECONDS old (\`Consistency: primary\` for read-your-writes).`,
    `CPU per query is measured under this machine's load, so take the arithmetic as an order of magnitude.`,
  ].join(' ');
  return [...table, '', paragraph].join('\n');
}
