// Rebuilds every projection from the event log: clears the read models, then projects
// the log in sequence order, in chunks that each commit with the position reached, so an
// interrupted replay resumes where it stopped. Events whose type has gained a projector
// (or whose body is now understood) change status; replaying twice gives the same state.
import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { inTransaction } from '../db/transaction';
import { loggedEventParts } from './envelope';
import { classify, projectAll, ProjectionWork } from '../projection/runner';
import { EventRecord, EventStatus } from '../log/event.entity';
import { parseLossless } from '../canvas/lossless-json';
import { ProjectorRegistry } from '../projection/projector';
import { ReplayProgress } from '../log/replay-progress.entity';

export interface ReplayOptions {
  /** Events per transaction (default 1000). */
  chunkSize?: number;
  /** Continue an interrupted replay instead of starting over. */
  resume?: boolean;
  /** Everything in one transaction: readers see the old projections until it commits. */
  singleTransaction?: boolean;
  onStart?: (total: number) => void;
  onProgress?: (done: number) => void;
}

export interface ReplayResult {
  replayed: number;
  byStatus: Record<EventStatus, number>;
  /** Events whose status or reason changed (e.g. UNPROJECTED → PROJECTED). */
  statusChanges: number;
  resumedFrom: string | null;
}

const PROGRESS_ROW = 1;

export class Replayer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: ProjectorRegistry,
    private readonly projectionTables: EntityTarget<ObjectLiteral>[],
  ) {}

  async run(options: ReplayOptions = {}): Promise<ReplayResult> {
    const chunkSize = options.chunkSize ?? 1000;
    const result: ReplayResult = {
      replayed: 0,
      byStatus: { PROJECTED: 0, UNPROJECTED: 0, INVALID: 0 },
      statusChanges: 0,
      resumedFrom: null,
    };
    if (options.singleTransaction) {
      await inTransaction(this.dataSource, async (tx) => {
        const progress = await this.start(tx);
        options.onStart?.(await this.remaining(tx, progress));
        while (await this.replayChunk(tx, progress, chunkSize, result, options)) {
          /* next chunk */
        }
        await this.finish(tx);
      });
      return result;
    }
    let progress = options.resume
      ? await this.dataSource.manager.findOneBy(ReplayProgress, { id: PROGRESS_ROW })
      : null;
    if (progress && !progress.finishedAt) result.resumedFrom = progress.lastEventId;
    else progress = await inTransaction(this.dataSource, (tx) => this.start(tx));
    options.onStart?.(await this.remaining(this.dataSource.manager, progress));
    while (await inTransaction(this.dataSource, (tx) => this.replayChunk(tx, progress!, chunkSize, result, options))) {
      /* each chunk commits with its position */
    }
    await inTransaction(this.dataSource, (tx) => this.finish(tx));
    return result;
  }

  /** Clears the read models and records where the replay will stop. */
  private async start(tx: EntityManager): Promise<ReplayProgress> {
    for (const table of this.projectionTables) await tx.createQueryBuilder().delete().from(table).execute();
    const last = await tx.createQueryBuilder(EventRecord, 'e').select('MAX(e.id)', 'max').getRawOne<{ max: unknown }>();
    const progress: ReplayProgress = {
      id: PROGRESS_ROW,
      lastEventId: '0',
      untilEventId: last?.max == null ? '0' : String(last.max),
      startedAt: new Date(),
      finishedAt: null,
    };
    await tx.delete(ReplayProgress, { id: PROGRESS_ROW });
    await tx.insert(ReplayProgress, progress);
    return progress;
  }

  private remaining(manager: EntityManager, progress: ReplayProgress): Promise<number> {
    return this.pending(manager, progress).getCount();
  }

  /** Events after the position reached, up to where this replay stops (ids compare as numbers). */
  private pending(manager: EntityManager, progress: ReplayProgress) {
    return manager
      .createQueryBuilder(EventRecord, 'e')
      .where('e.id > :after AND e.id <= :until', { after: progress.lastEventId, until: progress.untilEventId });
  }

  /** Projects the next chunk; false when there was nothing left. */
  private async replayChunk(
    tx: EntityManager,
    progress: ReplayProgress,
    chunkSize: number,
    result: ReplayResult,
    options: ReplayOptions,
  ): Promise<boolean> {
    const events = await this.pending(tx, progress).orderBy('e.id', 'ASC').limit(chunkSize).getMany();
    if (events.length === 0) return false;
    const toProject: ProjectionWork[] = [];
    for (const event of events) await this.reclassify(tx, event, result, toProject);
    await projectAll(this.registry, tx, toProject);
    progress.lastEventId = events[events.length - 1].id;
    await tx.update(ReplayProgress, { id: PROGRESS_ROW }, { lastEventId: progress.lastEventId });
    result.replayed += events.length;
    options.onProgress?.(result.replayed);
    return true;
  }

  /** Classifies a logged event again (its status follows the code in force) and queues it for projection. */
  private async reclassify(
    tx: EntityManager,
    row: EventRecord,
    result: ReplayResult,
    toProject: ProjectionWork[],
  ): Promise<void> {
    const { metadata, body } = loggedEventParts(row.name, parseLossless(row.payload));
    const classification = classify(this.registry, {
      name: row.name,
      time: row.time,
      metadata,
      body,
      contentHash: row.contentHash,
      receivedAt: row.receivedAt,
    });
    const error = classification.status === 'PROJECTED' ? null : classification.error;
    if (classification.status === 'PROJECTED') toProject.push({ classification, sequence: row.id });
    if (classification.status !== row.status || error !== row.error) {
      await tx.update(EventRecord, { id: row.id }, { status: classification.status, error });
      result.statusChanges++;
    }
    result.byStatus[classification.status]++;
  }

  private async finish(tx: EntityManager): Promise<void> {
    await tx.update(ReplayProgress, { id: PROGRESS_ROW }, { finishedAt: new Date() });
  }
}
