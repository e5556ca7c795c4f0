// Retention of rejected_events: refusals older than REJECTED_RETENTION_DAYS go, and the
// oldest go first while the kept bytes (the stored_bytes column, the same measure on both
// databases) exceed REJECTED_MAX_MB. The event log itself is never touched. A sweep runs
// at start and every few minutes in the service; tests call sweepRejectedEvents directly.
import { DataSource, In, LessThan } from 'typeorm';
import { RejectedEvent } from './rejected-event.entity';

export interface RejectedRetention {
  maxAgeDays: number;
  maxBytes: number;
}

export interface SweepResult {
  byAge: number;
  bySize: number;
}

/** Rows deleted per statement: short statements, no long lock on a busy table. */
const CHUNK = 1000;
export const SWEEP_INTERVAL_MS = 10 * 60_000;

export async function sweepRejectedEvents(
  dataSource: DataSource,
  retention: RejectedRetention,
  now = new Date(),
): Promise<SweepResult> {
  const repository = dataSource.getRepository(RejectedEvent);
  const cutoff = new Date(now.getTime() - retention.maxAgeDays * 86_400_000);
  let byAge = 0;
  for (;;) {
    const old = await repository.find({
      select: { id: true },
      where: { receivedAt: LessThan(cutoff) },
      order: { id: 'ASC' },
      take: CHUNK,
    });
    if (old.length === 0) break;
    await repository.delete({ id: In(old.map((r) => r.id)) });
    byAge += old.length;
  }

  const total = await repository
    .createQueryBuilder('r')
    .select('COALESCE(SUM(r.stored_bytes), 0)', 'bytes')
    .getRawOne<{ bytes: unknown }>();
  let excess = Number(total?.bytes ?? 0) - retention.maxBytes;
  let bySize = 0;
  while (excess > 0) {
    const oldest = await repository.find({
      select: { id: true, storedBytes: true },
      order: { id: 'ASC' },
      take: CHUNK,
    });
    if (oldest.length === 0) break;
    const doomed: string[] = [];
    for (const row of oldest) {
      if (excess <= 0) break;
      doomed.push(row.id);
      excess -= Number(row.storedBytes);
    }
    await repository.delete({ id: In(doomed) });
    bySize += doomed.length;
  }
  return { byAge, bySize };
}

export interface Sweeper {
  stop(): void;
}

/** Sweeps now and every `intervalMs`; a failed sweep is reported and the next one tries again. */
export function startRejectedSweeper(
  dataSource: DataSource,
  retention: RejectedRetention,
  report: { swept(result: SweepResult): void; failed(error: unknown): void },
  intervalMs = SWEEP_INTERVAL_MS,
): Sweeper {
  let running = false;
  const sweep = async () => {
    if (running || !dataSource.isInitialized) return;
    running = true;
    try {
      const result = await sweepRejectedEvents(dataSource, retention);
      if (result.byAge + result.bySize > 0) report.swept(result);
    } catch (error) {
      report.failed(error);
    } finally {
      running = false;
    }
  };
  void sweep();
  // Never what keeps the process alive: shutdown waits for requests, not for this.
  const timer = setInterval(() => void sweep(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
